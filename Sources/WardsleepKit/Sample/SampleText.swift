/// Free text for the synthetic exports: incident narratives (with the commas, quotes and line breaks real exports
/// have), feedback comments, and the involvement ledger of the SleepWell design. Invented; no real person.
enum SampleText {
    static let openings = [
        "Patient became agitated in the lounge", "Patient was found in the corridor", "Staff heard shouting from the bedroom",
        "During the evening medication round, patient", "Patient returned to the ward", "At handover, staff noticed",
        "Patient approached the nursing office", "Patient woke and went to the day area",
    ]
    static let middles = [
        "shouted at staff, then threw a cup", "refused to go back to the bedroom, saying \"I can't sleep in there\"",
        "was distressed, tearful and asking for their family", "pushed another patient, who was not hurt",
        "had a superficial cut to the forearm", "was carrying an item not allowed on the ward",
        "said the \"checks keep waking me up\", and became angry", "was pacing, knocking on doors",
    ]
    static let endings = [
        "De-escalated by two staff; PRN offered, declined.", "Observations increased to every 15 minutes.",
        "Nurse in charge informed; care plan reviewed the next day.", "First aid given, no further treatment needed.",
        "Item removed and stored; patient informed of ward policy.", "Patient settled after talking with staff.",
    ]

    /// A narrative of one to three sentences; some with line breaks, commas and quotes.
    static func narrative(_ r: inout SampleRandom) -> String {
        var s = "\(r.pick(openings)), \(r.pick(middles)).\n\(r.pick(endings))"
        if r.chance(0.3) { s += "\n\nFollow-up: \(r.pick(endings))" }
        return s
    }

    /// Feedback comments by group: what people said before the change, and during or after it. Themes appear through
    /// their words; one carer comment asks for the checks back.
    static let commentsBefore: [FeedbackGroup: [String]] = [
        .patient: [
            "The torch coming through the door every hour woke me up, I never slept properly.",
            "Being checked on made me feel anxious, like I was being watched.",
            "Noise from the corridor wakes me, doors bang all night.",
            "I ask for a sleeping tablet most nights because I can't get back to sleep after the checks.",
            "The lights in the corridor stay on and shine under the door.",
        ],
        .staff: [
            "Patients are often up at 3am after the hourly checks wake them.",
            "We give a lot of PRN sleeping tablets on nights.",
            "I would be worried about missing something at night without the checks.",
            "The ward is noisy at night; the doors slam and the bins bang.",
        ],
        .carer: [
            "My mother says the checks wake her every hour.",
            "I worry about my son's sleep; he is exhausted when I visit.",
        ],
        .other: ["The ward felt busy and loud during a night visit."],
    ]
    static let commentsAfter: [FeedbackGroup: [String]] = [
        .patient: [
            "Since protected sleep started I sleep through the night and feel less groggy in the morning.",
            "It's quieter at night now, the doors don't bang any more.",
            "The blackout blinds make a real difference, it's dark enough to sleep.",
            "I still felt safe even without the checks, staff were there if I needed them.",
            "The sleep group taught me a routine, I get up at the same time every day.",
            "Noise from the corridor still wakes me sometimes.",
            "I didn't know what protected sleep was until a nurse explained it, then it helped.",
            "Sleep has been better this week, I didn't need the sleeping tablet.",
        ],
        .staff: [
            "Night shifts are calmer; fewer patients up and about at 3am.",
            "The sleep training changed how I think about PRN hypnotics.",
            "It took time to trust the MDT decision, now it feels routine.",
            "Soft-closing doors and dimmer lights have made the ward quieter.",
            "Some colleagues are still anxious about safety on protected sleep.",
            "Patients ask for sleeping tablets less often than before.",
            "Handover is easier when we know who is on protected sleep.",
        ],
        .carer: [
            "My son says he sleeps better and seems brighter when I visit.",
            "Could the hourly checks come back for my father? I worry he might fall.",
            "Staff explained the change clearly and I felt reassured.",
            "She is less drowsy in the mornings now she's off the sleeping tablets.",
        ],
        .other: ["The ward felt calmer during a night visit.", "Lighting changes were straightforward to install."],
    ]

    /// The involvement ledger as the SleepWell evaluation describes it: professionals lead design and delivery,
    /// patients and carers are informed and asked for feedback.
    static let ledger: [(stage: String, group: String, level: String, activity: String, evidence: String, date: String)] = [
        ("identify", "Sleep specialist", "lead", "Raised sleep disruption from overnight checks", "Clinical governance minutes", "12/03/2018"),
        ("identify", "Ward staff", "involve", "Staff survey on night-time observations", "Staff survey report", "26/03/2018"),
        ("identify", "Trust board", "inform", "Briefing on the proposal", "Board papers", "04/04/2018"),
        ("design", "Sleep specialist", "lead", "Designed protocol and staff education", "Protocol v1.2", "14/05/2018"),
        ("design", "Psychologists", "collaborate", "Adapted CBTi for ward use", "CBTi manual", "06/06/2018"),
        ("design", "Psychiatrists", "collaborate", "Safety criteria for protected sleep", "MDT policy draft", "20/06/2018"),
        ("design", "Medical staff committee", "consult", "Reviewed and approved the protocol", "Committee minutes", "11/07/2018"),
        ("design", "Patients", "inform", "Ward community meeting told of plans", "Community meeting notes", "18/07/2018"),
        ("implement", "Ward sleep leads", "lead", "Two sleep leads per ward trained", "Training log", "03/12/2018"),
        ("implement", "Estates", "involve", "Blackout blinds, soft-closing doors and bins, dimmer lights", "Estates work orders", "10/12/2018"),
        ("implement", "Night coordinators", "collaborate", "Night handover of protected-sleep list", "Handover template", "17/12/2018"),
        ("implement", "MDT", "collaborate", "Protected-sleep decisions after 72 hours", "MDT records", "02/01/2019"),
        ("implement", "Patients", "inform", "Information leaflet on admission; ward displays", "Leaflet", "02/01/2019"),
        ("implement", "Carers", "inform", "Carers' letter explaining the change", "Letter template", "02/01/2019"),
        ("deliver", "Ward staff", "lead", "Protected sleep 00:00-06:00 for patients judged safe", "Sleep plans", "07/01/2019"),
        ("deliver", "Psychology", "involve", "CBTi on two acute wards", "Group register", "14/01/2019"),
        ("deliver", "Pharmacy", "involve", "Hypnotic prescribing review", "Pharmacy report", "28/01/2019"),
        ("deliver", "Patients", "consult", "STOP-Bang and restless legs screening", "Screening forms", "04/02/2019"),
        ("evaluate", "Clinicians", "lead", "Analysis of incidents and prescribing", "Evaluation report", "16/09/2019"),
        ("evaluate", "Pharmacist", "collaborate", "Hypnotic issues analysis", "Pharmacy data extract", "16/09/2019"),
        ("evaluate", "Patients", "consult", "Feedback interviews and comments", "Feedback log", "30/09/2019"),
        ("evaluate", "Carers", "consult", "Feedback comments", "Feedback log", "30/09/2019"),
        ("disseminate", "Clinicians", "lead", "Published service evaluation", "Journal article", "15/06/2020"),
    ]
}
