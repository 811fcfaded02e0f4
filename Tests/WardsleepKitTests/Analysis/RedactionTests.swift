import Foundation
import Testing
@testable import WardsleepKit

/// Redaction of free text: NHS numbers, telephone numbers, dates of birth, names and e-mail addresses, in the forms
/// people write them, Unicode spaces included, in linear time.
@Suite struct RedactionTests {
    let redactor = Redactor(names: ["Sarah", "Raj Patel", "Zoë Brown"])

    /// `mayIdentify` looks for its words in folded text as bytes; it must say yes wherever the search it replaced
    /// (Foundation's `contains`, one bridged search per word) did, or text would skip redaction.
    @Test func theQuickCheckFindsEveryWordFoundationFinds() {
        func reference(_ text: String) -> Bool {
            if text.unicodeScalars.contains(where: { $0.properties.numericType != nil || $0 == "@" || $0 == "\u{FF20}" }) { return true }
            let folded = RedactionText.fold(text)
            return Redactor.titles.contains { folded.contains($0) } || Redactor.looseTitles.contains { folded.contains($0) }
                || ["at ", "(at)", "[at]", "{at}", "<at>", "://", "www.", "/"].contains { folded.contains($0) }
                || Redactor.namedStreetTypes.contains { folded.contains($0) }
        }
        let texts = ["Sleep hygiene group", "Co-design workshop", "MR Jones attended", "Dr. Ahmed led it", "Mrs Smith",
                     "met at the café", "see www.example.org", "Ward 3/4 review", "lives on Elm Road", "ROAD safety talk",
                     "Ｄｒ Ｌｅｅ (full width)", "Ｍｒ ﬁeld (ligature)", "Ｒｏａｄ", "Prof\u{301}essor Grey", "Sister Anne", "my son",
                     "sĩster", "Zoë at home", "plain words only", "", "ⓓⓡ circled", "\u{212A}ing's Road", "MÜM visited",
                     "(at) sign", "a\u{200B}t home", "nurse-led", "Ｌａｎｅ", "the grove", "GROVE", "Partner"]
        for t in texts {
            #expect(reference(t) == Redactor.mayIdentify(t), "\(t)")
        }
        #expect(Redactor.mayIdentify("Dr Lee") && !Redactor.mayIdentify("Sleep hygiene group"))
    }

    @Test func nhsNumbersWithAnySeparatorOrPrefix() {
        #expect(redactor.redact("NHS 943 476 5919.") == "NHS [NHS number].")
        #expect(redactor.redact("no 943\u{A0}476\u{A0}5919") == "no [NHS number]")
        #expect(redactor.redact("no 943\u{202F}476\u{2009}5919") == "no [NHS number]")
        #expect(redactor.redact("id 943.476.5919 ok") == "id [NHS number] ok")
        #expect(redactor.redact("id 943-476-5919 ok") == "id [NHS number] ok")
        #expect(redactor.redact("id 943 - 476 - 5919 ok") == "id [NHS number] ok")
        #expect(redactor.redact("ref ９４３４７６５９１９ please") == "ref [NHS number] please")  // full-width digits
        #expect(redactor.redact("94347\u{AD}65919") == "[NHS number]")  // soft hyphen inside
        #expect(redactor.redact("NHS no: 9434 76 5919") == "NHS no: [NHS number]")  // any grouping after the prefix
        #expect(redactor.redact("NHS number 94 34 76 59 19") == "NHS number [NHS number]")
        #expect(redactor.redact("scores 10 20 30 40 50") == "scores 10 20 30 40 50")
        #expect(redactor.redact("in 2018 and 2019, 12 nights") == "in 2018 and 2019, 12 nights")
    }

    @Test func ukPhoneNumbersNationalAndInternational() {
        #expect(redactor.redact("ring (020) 7946 0018 now") == "ring [phone] now")
        #expect(redactor.redact("ring 020 7946 0018") == "ring [phone]")
        #expect(redactor.redact("0044 20 7946 0018") == "[phone]")
        #expect(redactor.redact("call +44 7700 900123.") == "call [phone].")
        #expect(redactor.redact("call +44 (0)20 7946 0958") == "call [phone]")
        #expect(redactor.redact("mobile 07700\u{A0}900\u{A0}123 after six") == "mobile [phone] after six")
        #expect(redactor.redact("0161 496 0000") == "[phone]")
        #expect(redactor.redact("call ＋４４ ７７００ ９００１２３") == "call [phone]")
    }

    @Test func datesOfBirthNumericAndWritten() {
        #expect(redactor.redact("born 1980-02-01") == "born [date of birth]")
        #expect(redactor.redact("I was born on 1 February 1980.") == "I was born on [date of birth].")
        #expect(redactor.redact("born February 1, 1980") == "born [date of birth]")
        #expect(redactor.redact("DOB: 03/04/1956, admitted") == "[date of birth], admitted")
        #expect(redactor.redact("D.O.B. 3.4.56") == "[date of birth]")
        #expect(redactor.redact("date of birth 1st Feb 1980") == "[date of birth]")
        #expect(redactor.redact("dob 01-FEB-80") == "[date of birth]")
        #expect(redactor.redact("admitted 12 March 2019") == "admitted [date]")
        #expect(redactor.redact("seen 1st of February, 1980") == "seen [date]")
        #expect(redactor.redact("seen 12/03/2019 14:30") == "seen [date] 14:30")
        #expect(redactor.redact("on 3 March the ward") == "on 3 March the ward")  // no year, nothing to identify
        #expect(redactor.redact("May I say") == "May I say")
    }

    @Test func namesWithTitlesSurnameFirstAndOddSpacing() {
        #expect(redactor.redact("Mr. Patel was kind") == "[name] was kind")
        #expect(redactor.redact("thanks to dr\u{A0}Okafor and MRS  Jones") == "thanks to [name] and [name]")
        #expect(redactor.redact("Prof Anna Smith-Jones said") == "[name] said")
        #expect(redactor.redact("Dr.O'Brien") == "[name]")
        #expect(redactor.redact("Miss Grey came") == "[name] came")
        #expect(redactor.redact("I miss Home") == "I miss Home")  // "miss" in lower case is a verb
        #expect(redactor.redact("the Dr. He was kind") == "the Dr. He was kind")
        #expect(redactor.redact("Mr Patel's room") == "[name]'s room")
        #expect(redactor.redact("Patel, Raj and raj   patel and Raj\u{A0}Patel") == "[name] and [name] and [name]")
        #expect(redactor.redact("ZOE BROWN, Brown, Zoe, zoë brown") == "[name], [name], [name]")
        #expect(redactor.redact("Nurse Sarah's shift; Sarahs are fine") == "Nurse [name]'s shift; Sarahs are fine")
        #expect(redactor.redact("Nurse Sarah Jones's shift") == "Nurse [name]'s shift")
        #expect(redactor.redact("Raj was here") == "[name] was here")  // a listed name's first name alone
        #expect(redactor.redact("ＭＲ ＰＡＴＥＬ") == "[name]")  // full-width letters
        #expect(Redactor.standard.redact("Falls, no harm") == "Falls, no harm")
    }

    /// The forms an attacker tried that used to pass: NHS numbers grouped otherwise (with a right check digit), names
    /// after a title in lower case or with particles, listed names surname first without a comma, hyphenated or with an
    /// initial, roles before a capitalised name, postcodes and hospital numbers.
    @Test func moreFormsOfNamesNumbersAndCodes() {
        let r = Redactor(names: ["Sarah Jones"])
        for nhs in ["943 4765 919", "943-4765-919", "9434 765 919", "943476 5919"] {
            #expect(r.redact("ref \(nhs) today") == "ref [NHS number] today", "\(nhs)")
        }
        #expect(r.redact("NHS: 943/476/5919") == "NHS: [NHS number]")
        #expect(r.redact("scores 12 34 56 78 90") == "scores 12 34 56 78 90")  // ten digits, check digit wrong
        #expect(r.redact("mr patel said") == "[name] said")
        #expect(r.redact("Mr van der Berg came") == "[name] came")
        #expect(r.redact("thanks to Mr de la Cruz") == "thanks to [name]")
        #expect(r.redact("the Dr. He was kind") == "the Dr. He was kind")
        #expect(r.redact("Jones Sarah said") == "[name] said")
        #expect(r.redact("Sarah-Jones, S. Jones and S Jones") == "[name], [name] and [name]")
        #expect(r.redact("Sister Anne and Rev Green") == "Sister [name] and Rev [name]")
        #expect(r.redact("my sister visited") == "my sister visited")
        #expect(r.redact("lives at SW1A 1AA, near M1 1AE and B338TH") == "lives at [postcode], near [postcode] and [postcode]")
        #expect(r.redact("room b2 1st floor, ward A1 2 beds") == "room b2 1st floor, ward A1 2 beds")
        #expect(r.redact("MRN 12345678; hospital no. RX123456; RiO: 1234567") == "MRN [hospital number]; hospital no. [hospital number]; RiO: [hospital number]")
        #expect(r.redact("PAS was down") == "PAS was down")
        // The second probe's forms.
        #expect(r.redact("dr van der berg said") == "[name] said")
        #expect(r.redact("dr o'brien and mr patel's room") == "[name] and [name]'s room")
        #expect(r.redact("Dr. J.R. Smith and Ms A.B. Jones came") == "[name] and [name] came")
        #expect(r.redact("ref 943_476_5919") == "ref [NHS number]")
        #expect(r.redact("at SW1A  1AA") == "at [postcode]")
    }

    /// The forms the second probe left passing: hospital numbers in groups or after `M.R.N.` / `PAS-ID`, listed names
    /// with a middle name, run together, joined by a full stop or with the initial after the surname, a phone number
    /// whose trunk 0 stands apart, honorifics outside the title list, spelled-out e-mail addresses and lower-case
    /// postcodes; and the prose that must stay as it is.
    @Test func formsThatUsedToPass() {
        let r = Redactor(names: ["Sarah Connor"])
        #expect(r.redact("MRN 1234 5678 seen") == "MRN [hospital number] seen")
        #expect(r.redact("M.R.N. 12345678") == "M.R.N. [hospital number]")
        #expect(r.redact("PAS-ID RX 123 456, RiO ID: 7654321") == "PAS-ID [hospital number], RiO ID: [hospital number]")
        #expect(r.redact("hosp no 123-456-78") == "hosp no [hospital number]")
        #expect(r.redact("MRN 12345678 2 doses") == "MRN [hospital number] 2 doses")
        #expect(r.redact("the unit no longer uses PAS 3 times") == "the unit no longer uses PAS 3 times")
        for name in ["Sarah J. Connor", "Sarah Jane Connor", "Sarah.Connor", "sarah_connor", "SarahConnor", "Sarah\u{200B}Connor",
                     "Connor S.", "Connor, S", "sarah j connor"] {
            #expect(r.redact("thanks \(name) today").hasPrefix("thanks [name]"), "\(name)")
        }
        // Two names apart are not the listed one; each is a common forename, and redacted as one.
        #expect(r.redact("Sarah and Connor") == "[name] and [name]")
        #expect(r.redact("Quilla and Zebedee") == "Quilla and Zebedee")
        #expect(r.redact("call 0 7700 900123") == "call [phone]")
        #expect(r.redact("scores 0 10 20 30") == "scores 0 10 20 30")
        #expect(r.redact("Reverend Green, Doctor Okafor and Sir John came")
            == "Reverend [name], Doctor [name] and Sir [name] came")
        #expect(r.redact("mister patel said") == "[name] said")
        #expect(r.redact("the doctor prescribed zopiclone") == "the doctor prescribed zopiclone")
        #expect(r.redact("write to jo.bloggs at nhs dot net please") == "write to [email] please")
        #expect(r.redact("jo [at] example [dot] nhs [dot] uk") == "[email]")
        #expect(r.redact("jo(at)nhs.net") == "[email]")
        #expect(r.redact("staff at night dot the chart") == "staff at night dot the chart")
        #expect(r.redact("seen at home. Net effect good") == "seen at home. Net effect good")
        #expect(r.redact("lives at sw1a 1aa and m1 1ae") == "lives at [postcode] and [postcode]")
        #expect(r.redact("bay a1 2nd bed, r1 4hr obs, b2 1st floor, b12th") == "bay a1 2nd bed, r1 4hr obs, b2 1st floor, b12th")
        #expect(r.redact("ward a1 2pm") == "ward a1 2pm")  // M is never an inward letter
    }

    /// The third probe's forms: identifiers that passed (LEAK) and prose that was mangled (OVER).
    @Test func thirdProbeLeaks() {
        let r = Redactor(names: ["Sarah Connor", "Siobhán O'Neill", "Mary-Jane van der Berg", "Jean de la Cruz", "Zoe Smith"])
        let leaks: [(String, String)] = [
            ("Dr A Smith came", "[name] came"), ("Mrs A Khan came", "[name] came"), ("Dr I Patel came", "[name] came"),
            ("dr a smith came", "[name] came"), ("dr. a. smith came", "[name] came"),
            ("O'Neill, Siobhan", "[name]"), ("S. O'Neill", "[name]"), ("O'Neill S", "[name]"), ("siobhan oneill", "[name]"),
            ("Siobhan O Neill", "[name]"), ("Mary Jane van der Berg", "[name]"), ("M. van der Berg", "[name]"),
            ("van der Berg, Mary-Jane", "[name]"), ("J. de la Cruz", "[name]"), ("de la Cruz, Jean", "[name]"),
            ("Zoe Smith-Jones", "[name]"),
            ("Dr Mary-Ann Smith-Jones came", "[name] came"), ("Dr John Paul George Smith came", "[name] came"),
            ("Mr J.R.R. Smith came", "[name] came"), ("Prof. Dr. Müller came", "[name] came"), ("Dr Ward came", "[name] came"),
            ("Sr Jones and Consultant Jones", "Sr [name] and Consultant [name]"), ("Dr O`Neill", "[name]"),
            ("Drs Smith", "[name]"), ("my daughter Emma visited", "my daughter [name] visited"),
            ("Name: John Smith", "Name: [name]"),
            ("ref 943/476/5919", "ref [NHS number]"), ("mobile 7700 900123", "mobile [phone]"),
            ("ring 44 7700 900123", "ring [phone]"), ("ring 447700900123", "ring [phone]"),
            ("DOB 01 02 1980", "[date of birth]"), ("DOB 1 - 2 - 1980", "[date of birth]"), ("DoB 01021980", "[date of birth]"),
            ("DOB 010280", "[date of birth]"), ("DOB 1 Feb 80", "[date of birth]"),
            ("jo @ nhs.net", "[email]"), ("jo@ nhs.net", "[email]"), ("jo@nhs dot net", "[email]"),
            ("MRN (12345678)", "MRN ([hospital number])"), ("MRN = 12345678", "MRN = [hospital number]"),
            ("hospital # 123456", "hospital # [hospital number]"), ("MRN is 12345678", "MRN is [hospital number]"),
            ("patient ID 123456", "patient ID [hospital number]"), ("hospital no. rx123456", "hospital no. [hospital number]"),
            ("lives at 12 Acacia Avenue", "lives at [address]"), ("Flat 3, 12a Mill Rd", "Flat 3, [address]"),
            ("12 acacia avenue", "[address]"), ("NI QQ123456C", "NI [NI number]"), ("NI QQ 12 34 56 C", "NI [NI number]"),
            ("Zoe A. B. Smith", "[name]"), ("Zoe Anne Marie Smith", "[name]"), ("Jean Cruz", "[name]"),
            ("DOB 1980", "[date of birth]"), ("born 1980-02-01", "born [date of birth]"),
            ("jo at hotmail dot fr", "[email]"),
        ]
        for (text, expected) in leaks { #expect(r.redact(text) == expected, "\(text)") }
    }

    @Test func thirdProbeProseIsLeft() {
        let r = Redactor(names: ["Sarah Connor"])
        let prose = [
            "MR scan booked", "CT and MR brain were normal", "Patient with MS flare", "QRS 120 ms wide", "DR screening clinic",
            "the dr explained everything", "saw the dr today", "I asked the nurse. Then she left",
            "saw the doctor. Tuesday was better", "the dr\nNext morning", "ward sister\nMaybe tomorrow",
            "Nurse Practitioner said", "Miss my family when on the ward", "weights 72 71 70 69 67", "CBG 5.4 6.2 7.8 9.1 6.5",
            "woke at 2.15.30", "you may 2 2000 times", "March 12 2000mg", "moved to A1 4PM", "Vitamin B12 1MG IM",
            "I looked at nhs.uk for advice", "information is at www.nhs.uk", "Rio 2016 Olympics", "PAS 2024 upgrade",
            "RiO notes 1234 pages", "Dr I think", "took 2 long walks", "gave 2 Zopiclone tablets",
        ]
        for text in prose { #expect(r.redact(text) == text, "\(text)") }
        #expect(r.redact("Dr Jones Monday morning") == "[name] Monday morning")
        #expect(r.redact("saw Dr Smith ICU then HDU") == "saw [name] ICU then HDU")
        #expect(r.redact("MR PATEL came") == "[name] came")
        #expect(r.redact("bleep Dr On Call") == "bleep Dr On Call")
        #expect(r.redact("drs were busy") == "drs were busy")
        #expect(r.redact("Mr Patel Consultant Surgeon") == "[name] Consultant Surgeon")
        // A capitalised title after a number names someone (`bed 4 Mr Patel`); one in lower case is a unit.
        #expect(r.redact("bed 4 Mr Patel said") == "bed 4 [name] said")
        #expect(r.redact("at 3 Mrs Jones came") == "at 3 [name] came")
        #expect(r.redact("room 7 Dr Okafor saw him") == "room 7 [name] saw him")
        #expect(r.redact("4 Sister Brown") == "4 Sister [name]")
        #expect(r.redact("seg 3 Mr Patel") == "seg 3 [name]")
        #expect(r.redact("bed 4 mr patel was up all night") == "bed 4 [name] was up all night")
        // A capitalised title ending a line, its name on the next; a role or a title as a noun stays as before.
        #expect(r.redact("Mr\nPatel in bed 4 settled") == "[name] in bed 4 settled")
        #expect(r.redact("seen by Ms\r\nAdebayo-Okafor today") == "seen by [name] today")
        #expect(r.redact("saw the Dr\nNext morning") == "saw the Dr\nNext morning")
        #expect(r.redact("bed 4 Mr said no") == "bed 4 Mr said no")
        #expect(r.redact("a 120 ms delay then 5 ms Jones") == "a 120 ms delay then 5 ms Jones")
        #expect(Redactor(names: ["Mohammed bin Salman Al Saud"]).redact("Mohammed Al Saud, Al Saud, Mohammed") == "[name], [name]")
    }

    /// A cut text ends before a placeholder the cut would split (`[na...`), and a short one is only redacted.
    @Test func anExcerptIsNeverCutThroughAPlaceholder() {
        let r = Redactor(names: [])
        let lead = String(repeating: "x", count: 990) + " and "
        for tail in ["Mr Patel came back later", "Dr Okafor", "07700 900123 rang"] {
            let shown = r.excerpt(lead + tail + String(repeating: " then slept", count: 10), maxLength: 1_000)
            #expect(shown == lead + "...", "\(tail): \(shown.suffix(20))")
        }
        #expect(r.excerpt(String(repeating: "y", count: 980) + " Mr Patel said hello there, all good" + String(repeating: " z", count: 20), maxLength: 1_000)
                .hasSuffix(" [name] said hell..."))
        #expect(r.excerpt("seen by Mr Patel", maxLength: 1_000) == "seen by [name]")
    }

    /// A listed name's names alone, in any case, are redacted (`Jones was kind` for `Sarah Jones`), but not one that is
    /// also a common word: the study listed the person, not the word.
    @Test func aListedNamesOwnNamesAreRedactedAlone() {
        let r = Redactor(names: ["Sarah Jones", "Wojciech Kowalczyk", "Siân ap Rhys", "Mary-Jane O'Neill", "Will Young", "Mr Patel"])
        let cases = [
            ("Jones was kind", "[name] was kind"), ("jones was kind", "[name] was kind"), ("sarah on nights", "[name] on nights"),
            ("Kowalczyk was worried", "[name] was worried"), ("wojciech was worried", "[name] was worried"),
            ("ap Rhys ran the group", "[name] ran the group"), ("Rhys ran the group", "[name] ran the group"),
            ("O'Neill visited", "[name] visited"), ("Siân came", "[name] came"),
            ("Young people slept", "[name] people slept"), ("you will sleep", "you will sleep"), ("Mr Patel came", "[name] came"),
            ("patel came", "[name] came"),  // listed with a title: the name after it is the listed name
        ]
        for (text, expected) in cases { #expect(r.redact(text) == expected, "\(text)") }
    }

    /// The sixth probe's forms: a plain `at` with real dots, National Insurance numbers in lower case or with hyphens,
    /// `Ln` for Lane.
    @Test func sixthProbeLeaks() {
        let r = Redactor(names: [])
        let cases = [
            ("mail jo.bloggs at nhs.net please", "mail [email] please"), ("jobloggs at hotmail.co.uk", "[email]"),
            ("jo_b88 at example.org", "[email]"),
            ("qq123456c", "[NI number]"), ("ni number ab123456d", "ni number [NI number]"), ("QQ-12-34-56-C", "[NI number]"),
            ("lives at 14 Mill Ln", "lives at [address]"),
            ("MS Jones came", "[name] came"),
            ("my son tom says I look rested", "my son [name] says I look rested"), ("sister sarah was kind", "sister [name] was kind"),
        ]
        for (text, expected) in cases { #expect(r.redact(text) == expected, "\(text)") }
        // Prose with the same shapes stays.
        for text in ["I looked at nhs.uk for advice", "stayed at home.then slept", "qq 123456 c", "ab 12 34 56 d and more",
                     "staff trained via MS Teams", "survey run on MS Forms"] {
            #expect(r.redact(text) == text, "\(text)")
        }
    }

    @Test func emailAddresses() {
        #expect(redactor.redact("email jo.bloggs@example.nhs.uk.") == "email [email].")
        #expect(redactor.redact("a@b") == "a@b")
        #expect(redactor.redact("write to jo@gmail,com please") == "write to [email] please")
        #expect(redactor.redact("jo@gmail, then home") == "jo@gmail, then home")  // a comma, then no domain ending
        #expect(redactor.redact("ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ") == "[email]")
    }

    /// Forms found passing by the redaction probe: month first with a mark between every part, a year after an
    /// apostrophe, Cyrillic and Greek letters drawn like Latin ones, a street named without a number.
    @Test func fourthProbeLeaks() {
        let r = Redactor(names: ["Sarah Connor"])
        let cases: [(String, String)] = [
            ("DOB Feb-01-1980, admitted", "[date of birth], admitted"), ("seen Feb/01/80 by", "seen [date] by"),
            ("seen Feb.01.1980", "seen [date]"), ("DOB 1st Feb '80", "[date of birth]"), ("born 3 March '56.", "born [date of birth]."),
            ("\u{041C}r Smith was kind", "[name] was kind"),  // Cyrillic М
            ("thanks to Mr\u{0455} Jones", "thanks to [name]"),  // Cyrillic ѕ
            ("\u{039C}rs Okafor", "[name]"),  // Greek Μ
            ("S\u{0430}rah Connor visited", "[name] visited"),  // a listed name with a Cyrillic а
            ("she lives on Acacia Avenue near", "she lives on [address] near"), ("moved to Kings Road.", "moved to [address]."),
            ("from Upper Park Lane", "from [address]"), ("seen 5-10-15 and again", "seen [date] and again"),
            ("DOB 10/10/10 minutes", "[date of birth] minutes"), ("ms smith came", "[name] came"), ("Ms Symptoms", "[name]"),
        ]
        for (text, expected) in cases { #expect(r.redact(text) == expected, "\(text)") }
        let prose = [
            "The Grove was quiet", "down the road", "Road works outside", "this Street is loud", "Feb 1980 was cold",
            "Мама приходила", "my ms symptoms were worse", "her ms relapse", "met the Lord Mayor", "checks every 5-10-15 minutes", "score 10/10/10 for the staff", "rated them 9/9/10", "1-2-3 nights", "the dog's '80s song", "Main road closed",
        ]
        for text in prose { #expect(r.redact(text) == text, "\(text)") }
    }

    /// A common forename with no title before it and no list to name it: "John Smith told me", "Kelly was lovely".
    @Test func commonForenamesAreNamesWithoutACue() {
        let r = Redactor.standard
        let cases = [
            ("John Smith told me to sleep", "[name] told me to sleep"), ("Kelly was lovely at night", "[name] was lovely at night"),
            ("thanks to Priya and Tom", "thanks to [name] and [name]"), ("Emma-Louise Clarke-Hughes helped", "[name] helped"),
            ("I asked Mohammed.", "I asked [name]."), ("Will Jones came in", "[name] came in"), ("May Patel said so", "[name] said so"),
            ("Mark was kind", "[name] was kind"),
        ]
        for (text, expected) in cases { #expect(r.redact(text) == expected, "\(text)") }
        // Common words that are also forenames, alone; places named after people; forenames in lower case.
        let kept = ["Will it get better?", "May I say thanks", "Grace and kindness", "Hope so", "moved to Jasmine Ward",
                    "Florence House is quiet", "St Mary's was better", "Queen Elizabeth Hospital", "the rose garden", "I will sleep",
                    "Frank and honest staff", "Pat on the back"]
        for text in kept { #expect(r.redact(text) == text, "\(text)") }
    }

    /// The fifth probe: an NHS number in small groups, lower-case postcodes run together, a listed name with its surname
    /// as an initial. 9434765919 has a right check digit; 9434765918 has not.
    @Test func fifthProbeLeaks() {
        let r = Redactor(names: ["Sarah Jones"])
        let cases = [
            ("noise was awful. 943 476 59 19", "noise was awful. [NHS number]"), ("9 4 3 4 7 6 5 9 1 9", "[NHS number]"),
            ("94 34 76 59 19 thanks", "[NHS number] thanks"), ("943-476-59-19", "[NHS number]"),
            ("ls14ab", "[postcode]"), ("m11ae", "[postcode]"), ("sw1a1aa", "[postcode]"), ("at B338TH now", "at [postcode] now"),
            ("Sarah J. was there", "[name] was there"), ("ask sarah j about it", "ask [name] about it"),
            // Not the listed name, but a common forename and a surname.
            ("Sarah Jameson came", "[name] came"),
        ]
        for (text, expected) in cases { #expect(r.redact(text) == expected, "\(text)") }
        let prose = ["9 4 3 4 7 6 5 9 1 8", "the b12th dose", "CBG 5.4 6.2 7.8 9.1 6.5 9.4", "x2 4hr", "a1 2nd"]
        for text in prose { #expect(r.redact(text) == text, "\(text)") }
    }

    /// The fifth probe's other leaks: a spaced address, web addresses and handles, a name after "my name is", a name
    /// after a role such as "Ward manager".
    @Test func fifthProbeAddressesHandlesAndNames() {
        let r = Redactor.standard
        let cases = [
            ("jo . bloggs @ nhs . net", "[email]"), ("mail jo_bloggs @ nhs . uk today", "mail [email] today"),
            ("see https://facebook.com/jane.doe now", "see [link] now"), ("(www.example.org/jane).", "([link])."),
            ("facebook.com/jane.doe", "[link]"), ("follow @janedoe on it", "follow [handle] on it"), ("@jane_doe99", "[handle]"),
            ("my name is Peter Parker", "my name is [name]"), ("her name's Ann", "her name's [name]"),
            ("Ward manager Karen Brown said", "Ward manager [name] said"),
            ("Raised by Mrs Patel (07700 900123)", "Raised by [name] [phone]"), ("ring (020) 7946 0018 today", "ring [phone] today"), ("support worker Jim helped", "support worker [name] helped"),
        ]
        for (text, expected) in cases { #expect(r.redact(text) == expected, "\(text)") }
        let prose = ["the manager said no", "a/b testing of the lights", "checks at 02:00/04:00", "jo@ward", "the name is long",
                     "nhs.uk guidance", "Ward Manager", "and/or", "see https://www.nhs.uk for more"]
        for text in prose { #expect(r.redact(text) == text, "\(text)") }
    }

    /// The processor time this thread has used, in seconds: unlike the wall clock, it does not grow while the thread
    /// waits for a core (the suite runs many tests at once).
    private static func threadSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Each input takes at most a few seconds of this thread's processor time (about 3 s in a debug build; a quadratic
    /// reading of 100,000 characters takes minutes). The time limit only stops a run that never ends.
    @Test(.timeLimit(.minutes(10))) func linearOnAdversarialText() {
        // Inputs that make backtracking regular expressions take quadratic or exponential time.
        let inputs = [
            String(repeating: "a.", count: 50_000) + "@",
            String(repeating: "1 ", count: 50_000),
            String(repeating: "Mr ", count: 33_000),
            String(repeating: "a@", count: 50_000),
            String(repeating: "0", count: 100_000),
            String(repeating: "1-", count: 50_000),
            String(repeating: "Patel, ", count: 15_000),
            "x at " + String(repeating: "b dot ", count: 30_000),
            String(repeating: "a at b dot ", count: 20_000),
            "MRN " + String(repeating: "12 ", count: 50_000),
            String(repeating: "a . ", count: 50_000) + "@ b",
            String(repeating: "x.", count: 50_000) + "com/",
            String(repeating: "@a ", count: 50_000),
        ]
        for text in inputs {
            let start = Self.threadSeconds()
            let out = redactor.redact(text)
            let used = Self.threadSeconds() - start
            #expect(!out.isEmpty)
            #expect(used < 20, "\(text.prefix(12).debugDescription)… took \(used) s of processor time")
        }
    }

    /// An ASCII character is classed, normalised and folded from its byte; every one of the 128, and a CR LF pair,
    /// must come out as the Unicode properties class it (the reading kept for anything else), and ASCII text must fold
    /// as the compatibility decomposition folds it.
    @Test func asciiIsReadFromItsByteAsItsPropertiesReadIt() {
        func referenceKind(_ ch: Character) -> RedactionText.Kind {
            if ch.isWhitespace { return .space }
            if RedactionText.isDigit(ch) { return .digits }
            if ch.isLetter { return .word }
            return .other
        }
        func referenceNormalise(_ ch: Character) -> Character? {
            let scalars = ch.unicodeScalars
            if scalars.allSatisfy({ $0.properties.generalCategory == .format }) && !ch.isWhitespace { return nil }
            return scalars.count == 1 && scalars.first!.value == 0x60 ? "'" : ch
        }
        func referenceFold(_ s: String) -> String {
            String(String.UnicodeScalarView(s.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars.filter {
                $0.properties.generalCategory != .nonspacingMark && $0.properties.generalCategory != .format
            }))
        }
        var all = ""
        for b in UInt8(0)..<128 {
            let ch = Character(Unicode.Scalar(b))
            all.append(ch)
            #expect(RedactionText.kind(ch) == referenceKind(ch), "byte \(b)")
            #expect(RedactionText.normalise(ch) == referenceNormalise(ch), "byte \(b)")
            #expect(RedactionText.fold(String(ch)) == referenceFold(String(ch)), "byte \(b)")
        }
        #expect(RedactionText.kind("\r\n") == .space && RedactionText.normalise("\r\n") == "\r\n")
        #expect(RedactionText.fold(all) == referenceFold(all))
        #expect(RedactionText.fold("ZOË Ｂｒｏｗｎ") == "zoe brown")  // not ASCII: the full reading
    }
}
