/// The built-in formulary: a copy of `data/reference/hypnotics-formulary.csv` (WHO ATC codes and defined daily doses),
/// compiled in so that the binary needs no data files. A test keeps the two identical.
enum FormularyTable {
    static let csv = """
    drug,atc,ddd_mg,who_group,report_group,aliases
    zopiclone,N05CF01,7.5,z-drug,z-drugs,zimovane
    zolpidem,N05CF02,10,z-drug,z-drugs,stilnoct;zolpidem tartrate
    zaleplon,N05CF03,10,z-drug,z-drugs,sonata
    eszopiclone,N05CF04,2,z-drug,z-drugs,lunesta
    temazepam,N05CD07,20,hypnotic benzodiazepine,hypnotic benzodiazepines,
    lormetazepam,N05CD06,1,hypnotic benzodiazepine,hypnotic benzodiazepines,
    nitrazepam,N05CD02,5,hypnotic benzodiazepine,hypnotic benzodiazepines,mogadon
    loprazolam,N05CD11,1,hypnotic benzodiazepine,hypnotic benzodiazepines,loprazolam mesilate
    flurazepam,N05CD01,30,hypnotic benzodiazepine,hypnotic benzodiazepines,dalmane
    melatonin,N05CH01,2,melatonin receptor agonist,melatonin,circadin;slenyto
    clomethiazole,N05CM02,1500,other hypnotic,other,heminevrin;chlormethiazole
    chloral hydrate,N05CC01,1000,other hypnotic,other,
    triclofos,N05CM07,1000,other hypnotic,other,triclofos sodium
    daridorexant,N05CJ03,,orexin antagonist (no DDD assigned),other,quviviq
    promethazine,R06AD02,25,sedating antihistamine,sedating antihistamines,phenergan;promethazine hydrochloride
    lorazepam,N05BA06,2.5,anxiolytic benzodiazepine,other,ativan
    diazepam,N05BA01,10,anxiolytic benzodiazepine,other,
    oxazepam,N05BA04,50,anxiolytic benzodiazepine,other,
    hydroxyzine,N05BB01,75,sedating antihistamine,sedating antihistamines,atarax;ucerax;hydroxyzine hydrochloride
    mirtazapine,N06AX11,30,off-label sedative,other,zispin
    trazodone,N06AX05,300,off-label sedative,other,molipaxin;trazodone hydrochloride
    quetiapine,N05AH04,400,off-label sedative,other,seroquel
    """
}
