"""The vocabulary of the purpose rules (purpose_rules, narrative_check): word lists and the
phrases that say what happened, where or when, and what is sought; the uses the policy does
not authorize; keyboard mash and placeholders. Data only: the rules that read it live beside.
"""

from __future__ import annotations

import re

from alpr_desktop.core.purposes import OFFENSE_TYPES, PurposeCategory


def _wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text: keeps the word lists readable."""
    return frozenset(text.split())


# --------------------------------------------------------------------------------------------
# Vocabulary. Word lists are lower-case; a token is a run of letters/digits, with inner hyphens
# or apostrophes kept ("7-eleven", "hit-and-run", "o'brien").

STOPWORDS = _wordset(
    """
    a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing done down during each either few for
    from further had has have having he her here hers him his how i if in into is it its itself
    just me more most my no nor not now of off on once only onto or other our ours out over own
    per re same she should so some such than that the their theirs them then there these they
    this those through to too under until up upon us very via was we were what when where which
    while who whom whose why will with would you your yours s t d ll m ve
    """
)

# Words that say nothing about this particular search: the ones from published audit logs,
# filler, agency boilerplate, and search vocabulary.
GENERIC = _wordset(
    """
    investigation investigations investigative investigate investigating investigator inv invs
    invest invst investig bolo bolos test tests testing ongoing crime crimes criminal case cases
    incident incidents search searches searching searched query queries querying lookup lookups
    look looking looked check checks checking checked info information follow followup fu
    na nil none null n a unk unknown tbd pending active open general routine misc miscellaneous
    various etc sgt sergeant lt lieutenant det detective detectives dep deputy deputies officer
    officers capt captain request requested requesting see report reports rpt official business
    purpose purposes law enforcement police department dept agency sheriff sheriffs lasd matter
    matters related regarding possible potential lead leads intel intelligence data alpr lpr
    plate plates lic license tag tags read reads hit hits run running vehicle vehicles veh car
    cars auto autos suspect suspects subject subjects person persons individual individuals
    someone something anything stuff thing things need needed needs want wanted wants assist
    assistance help work working job conducted conduct conducting part reason reasons same
    please thanks ok okay yes stated listed above below attached aforementioned referenced
    locate locating find finding identify identifying determine seeking seek track tracking
    urn
    """
)

# Tokens from the category and offense labels: naming the category or offense is not a narrative.
LABEL_WORDS = frozenset(
    w
    for label in [c.label for c in PurposeCategory] + [c.value for c in PurposeCategory]
    + list(OFFENSE_TYPES)
    for w in re.findall(r"[a-z]+", label.lower())
)

# What happened: a crime or the harm it did, as whole words or prefixes of inflected forms.
# Sightings alone ("seen", "observed", "drove", "missing") are deliberately not enough: "subject
# seen near City Hall, track his movements" names no crime, and policy section 1 allows ALPR use
# only for crimes. A narrative about a real crime names the act, its victim or its section
# (code_sections), or says what happened ("a pedestrian was struck", "tires dumped on the
# shoulder", "tagging on the overpass").
EVENT_WORDS = _wordset(
    """
    stolen stole steal steals stealing theft thefts thief thieves robbed robbery robberies rob
    robs robber robbers shot shots shooting shootings fired gunfire gunpoint gun guns handgun
    firearm rifle shotgun knife machete weapon fled flee flees fleeing evaded evading evade
    assaulted assault assaults struck strike collided collision crash crashed broke broken
    break burglarized burglary taken took abducted abduction kidnapped kidnapping stabbed
    stabbing killed murder murdered homicide carjacked carjacking attacked attack threatened
    threats brandished vandalized vandalism damaged smashed looted trafficked trafficking sold
    selling dealing narcotics drugs cocaine heroin fentanyl methamphetamine meth
    pcp forged counterfeit fraud fraudulent defrauded impersonated raped rape molested lured
    chased pursuit pursued escaped injured injuries victim victims died death deceased body
    arson arsonist burned torched shoplifted embezzled extorted extortion ransom graffiti
    grafitti rammed dragged grabbed snatched stalked stalking beaten beat battered trespass
    trespassed warrant dui cut sawed sawn tagging tagged tagger taggers dumped dumping
    sideswiped sideswipe scammed swindled conned choked strangled punched kicked slapped bitten
    shoved pistol-whipped groped fondled prowler prowling peeping pried prying jimmied shattered
    ransacked poured drunk intoxicated impaired reckless racing sideshow takeover stripped
    poisoned cruelty abused abuse endangerment violated exploded explosive detonated bomb
    hostage brawl fight fought slashed keyed blackmail sextortion pickpocket pickpocketed
    gunman gunmen assailant assailants perpetrator wounded wound wounds hospitalized bleeding
    destroyed casings bullet bullets violence indecent lewd solicited prostitution pimping
    pandering siphoned carjacker burglar burglars dwi
    """
)
# Hit-and-run and the other events that take more than one word. Matched on the expanded,
# lower-cased narrative.
EVENT_PHRASE_RE = re.compile(
    r"\bhit(?:-and-|\s+and\s+)run\b"
    r"|\b(?:was|were|got|been|being|is|are|gets)\s+(?:hit|run\s+over|ran\s+over|rear-ended)\b"
    r"|\bhit\s+by\b"
    r"|\bhit\s+(?:a|an|the|his|her|their|two|three|several|another)\s+(?:\w+\s+)?"
    r"(?:pedestrians?|child|kid|boy|girl|man|woman|cyclist|bicyclist|biker|jogger|deputy|"
    r"officer|parked|pole|fence|wall|house|home|car|vehicle|victim)\b"
    r"|\bhit\s+(?:twice|\d+\s+times|several\s+times|multiple\s+times)\b"
    r"|\b(?:ran|run|drove|crashed|plowed)\s+(?:over|into|down)\b"
    r"|\b(?:on\s+fire|set\s+fire|set\s+ablaze|fire\s+to)\b"
    r"|\bforced\s+(?:entry|open|(?:his|her|their)\s+way|in)\b"
    r"|\bspray[- ]?paint"
    r"|\bwithout\s+paying\b|\bnot\s+paid\b|\b(?:did\s+not|didn't|refused\s+to)\s+pay\b"
    r"|\bdrive[- ]off\b|\bdrove\s+off\s+without\b"
    r"|\bunder\s+the\s+influence\b|\bexhibition\s+of\s+speed\b"
    r"|\bstreet\s+(?:race|racing|takeover)\b"
    r"|\bexposed\s+(?:himself|herself|themselves|his|her)\b"
    r"|\b(?:took|made|ran|walked|drove)\s+off\s+with\b"
    r"|\b(?:posing|posed|poses|pretending|pretended)\s+(?:as|to\s+be)\b",
)
# Phrases whose event word is no event: being cut off in traffic is not a crime, and neither is
# who someone is or was ("a known dealer", "prolific tagger", "on parole for 211 PC", "priors
# for burglary"): a status or a record is not a crime this search investigates.
CODE_NAME = r"(?:pc|vc|hs|h&s|hsc|wic|w&i|bp|b&p|penal\s+code|vehicle\s+code)"
NOT_EVENT_PHRASE_RE = re.compile(
    r"\bcut\s+(?:me|him|her|them|us|you)\s+off\b"
    r"|\b(?:known|suspected|alleged|reputed|documented|active|prolific|habitual|former|"
    r"convicted|registered|local)\s+(?:\w+\s+){0,2}?(?:drug\s+|car\s+|sex\s+)?"
    r"(?:dealers?|thie(?:f|ves)|burglars?|robbers?|taggers?|shooters?|offenders?|felons?|"
    r"gang\s*members?|gangsters?|parolees?|probationers?)\b"
    r"|\b(?:parolees?|probationers?|on\s+(?:parole|probation)|priors?|prior\s+(?:arrests?|"
    r"convictions?)|convicted|conviction|criminal\s+history|rap\s+sheet|record|history)\s+"
    r"(?:for|of|with)\s+(?:(?:a|an|two|three|several|multiple)\s+)?"
    rf"(?:\d[\w.()/]*(?:\s+{CODE_NAME}\b)?|{CODE_NAME}\s*\d[\w.()/]*"
    r"|(?:armed|grand|petty|vehicle|auto|residential|commercial|felony|drug)?\s*[a-z]+)"
)
EVENT_PREFIXES = (
    "rob", "steal", "stol", "shoot", "stab", "assault", "burglar", "kidnap", "abduct", "evad",
    "vandal", "traffick", "carjack", "murder", "kill", "threat", "brandish", "collid", "crash",
    "injur", "damag", "smash", "forg", "defraud", "molest", "pursu", "escap", "loot",
    "shoplift", "embezzl", "extort", "attack", "fled", "flee", "batter", "skimm", "ransack",
    "break", "broke", "stalk", "trespass", "tagg", "swindl", "scam", "strangl", "chok",
    "masturbat", "impersonat", "narcot", "arson", "fatal", "gunshot", "siphon", "grope",
    "shatter",
)
# Words that start like an event and are not one.
EVENT_NOT = _wordset(
    """
    breakfast forget forgot forgotten scamper robe robes robert roberts robertson robinson
    robin robot killeen
    """
)

# Uses the policy does not authorize, stated outright: personal matters (policy section 1),
# immigration enforcement (Government Code 7284.6, SB 54), civil matters, tests and training.
# Kept to unambiguous phrases: "personal property" or "the victim's neighbor" are not flagged.
PROHIBITED_RE = re.compile(
    r"\bmy (?:own |ex-?|stolen |late |old |new )?(?:wife|husband|spouse|girlfriend|boyfriend|"
    r"ex|family|neighbou?r|son|daughter|mother|mom|father|dad|brother|sister|kid|kids|car|"
    r"vehicle|house|home|truck|van|suv|bike|bicycle|motorcycle|phone|wallet|purse|stuff|"
    r"friend|cousin|roommate|landlord|tenant|boss|coworker|co-worker|aunt|uncle|grandma|"
    r"grandmother|grandpa|grandfather|nephew|niece|in-laws?)\b|"
    r"^(?:training|test|testing|practice|demo)\b\s*[:(\-–—]|"
    r"\((?:training|test|testing|practice|demo)(?: only)?\)|"
    r"\bpersonal (?:reasons?|use|matter|business|interest)\b|\bjust curious\b|"
    r"\bcuriosity\b|\bimmigration\b|\bdeport|\bundocumented\b|\billegal aliens?\b|"
    r"\bborder patrol\b|\brepo(?:ssess\w*)?\b|\bdebt collect|\bcivil (?:matter|suit|dispute)\b|"
    r"\bfor training\b|\btraining (?:exercise|purposes?|search)\b|\bpractice (?:search|query)\b|"
    r"\btest(?:ing)? (?:the )?(?:system|search|query)\b|\bsystem test\b|\bdemo\b|"
    r"\btest(?:ing)? (?:of |out )?(?:the |a )?(?:new )?(?:search|screen|software|program|"
    r"update|feature|camera|reader)s?\b|"
    r"\btrain(?:ing)? (?:the |a |our )?(?:new )?(?:analysts?|deputies|officers?|users?|staff|"
    r"employees?|recruits?|trainees?)\b|\bsample (?:search|query|queries|searches)\b|"
    r"\bcustoms and border\b",
    re.IGNORECASE,
)

# Immigration and Customs Enforcement, written in capitals (so "ice" on a road is not it).
ICE_RE = re.compile(r"\bICE\b")

# Where: street suffixes, places, landmarks.
PLACE_WORDS = _wordset(
    """
    st street ave av avenue blvd boulevard rd road dr drive way ln lane pl place ct court hwy
    highway fwy freeway pkwy parkway cir circle ter terrace trl trail plaza mall park lot
    parking garage intersection block alley ramp exit onramp offramp interstate i-405 i-110
    i-710 i-10 i-5 i-105 sr-91 corner store market supermarket restaurant gas school church
    residence home house apartment apartments complex condo hotel motel bank atm liquor shop
    center centre driveway yard backyard bar club hospital library station stop depot
    warehouse dealership lot carwash 7-eleven walmart target costco ralphs vons starbucks
    mcdonalds carson compton torrance gardena wilmington dominguez harbor lakewood
    northbound southbound eastbound westbound nb sb eb wb north south east west near nearby
    outside inside behind across front address location scene premises campus stadium
    curb sidewalk crosswalk neighborhood tract overpass underpass bridge shoulder median
    dwelling building business office clinic pharmacy courthouse cemetery pier port terminal
    dock tracks onramp on-ramp off-ramp cul-de-sac storefront lobby entrance
    avalon figueroa sepulveda alameda vermont normandie lomita victoria dolores amo
    """
)
# When: days, months, times of day.
TIME_WORDS = _wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
    sat sun january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec yesterday today tonight morning
    afternoon evening night overnight midnight noon dawn dusk weekend mornings afternoons
    evenings nights weekends week
    """
)
PLACE_TIME_RES = (
    re.compile(r"\b\d{1,2}:\d{2}\b"),  # 23:10
    re.compile(r"\b(?:[01]?\d|2[0-3])[0-5]\d\s?(?:hrs|hours|h)\b", re.IGNORECASE),  # 2310 hrs
    re.compile(r"\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)", re.IGNORECASE),  # 11 pm
    re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"),  # 11/20, 11/20/2026
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # 2026-11-20
    re.compile(r"\b\d{1,4}(?:st|nd|rd|th)\b", re.IGNORECASE),  # 223rd St, the 3rd
    re.compile(r"\blast (?:night|week|weekend|month)\b", re.IGNORECASE),
    # a military time after a word that makes it one: "approx 2300", "at 0215", "since 0700"
    re.compile(r"\b(?:approx\w*|apx|around|about|at|by|after|before|until|since|between|btwn|"
               r"from|to|and)\s[0-2]?\d[0-5]\d\b(?![-/])", re.IGNORECASE),
    # a range of times, "0800-1600" (not the tail of a case number such as 123-45678-2026-001)
    re.compile(r"(?<![\w-])[0-2]?\d[0-5]\d\s?(?:-|to|until|thru|through)\s?[0-2]?\d[0-5]\d(?![\w-])"),
    re.compile(r"\bthe (?:405|110|710|91|105|605)\b"),  # a freeway
    # an intersection written with a slash: "Avalon/Victoria", "Figueroa/223rd"
    re.compile(r"\b[A-Z][a-z]{2,}\s?/\s?(?:[A-Z][a-z]{2,}|\d{1,3}(?:st|nd|rd|th))\b"),
    re.compile(r"\bthis (?:morning|afternoon|evening)\b", re.IGNORECASE),
    # a preposition followed by a capitalized name: "at Dominguez", "in Carson", "on Avalon"
    re.compile(r"\b(?:at|on|near|in|outside|behind|inside|along)\s(?:the\s)?[A-Z][A-Za-z'-]+"),
)
PLACE_TIME_WORD_RE = re.compile(r"\b(?:in front of|across from|next to)\b", re.IGNORECASE)

# What is sought: the words that say it outright, or an investigative verb with an object
# ("pulling reads around the scene", "need a timeline", "to corroborate the victim's account",
# "check which vans passed"). A verb with nothing after it ("per sgt, check") says nothing.
INVESTIGATIVE_VERBS = _wordset(
    """
    check checks checking verify verifies verifying confirm confirms confirming pull pulls
    pulling query queries querying trace traces tracing corroborate corroborates corroborating
    establish establishes establishing identify identifies identifying need needs needing
    locate locates locating exclude excludes excluding determine determines determining find
    finds finding obtain obtains obtaining get getting review reviewing compare comparing
    match matching link linking connect connecting map mapping plot plotting reconstruct
    reconstructing narrow narrowing develop developing canvass canvassing recover recovering
    retrieve retrieving seek seeking track tracking show showing prove proving document
    documenting rule ruling eliminate eliminating learn request requests requesting
    requested ask asks asking asked examine examining analyze analyzing scan scanning
    pinpoint pinpointing follow following see
    """
)
# Words that may stand between the verb and its object.
BRIDGE = _wordset(
    """
    the a an all any every each its his her their our whether if which who where when what
    how or and to for of on about possible available
    """
)
# What cannot be an object: the verb's particle or the end of the thought ("follow up").
NOT_OBJECT = _wordset(
    """
    up away off back down in into out over by per as is was were be sgt sergeant lt det
    detective request requests info information case cases
    """
)
VERB_OBJECT_RE = re.compile(
    rf"\b(?:{'|'.join(sorted(INVESTIGATIVE_VERBS))})\b[ ,:'\"-]+"
    rf"(?:(?:{'|'.join(sorted(BRIDGE))})[ ,'-]+){{0,3}}(?P<obj>[a-z0-9][a-z0-9'-]*)"
)
OBJECTIVE_RES = (
    re.compile(
        r"\b(?:seek|seeking|sought|locate|locating|identify|identifying|identification|"
        r"determine|determining|track|tracking|trace|tracing|find|finding|establish|"
        r"establishing|confirm|confirming|corroborate|corroborating|obtain|obtaining|verify|"
        r"verifying|develop|canvass|canvassing|recover|retrieve|eliminate|exclude|pinpoint|"
        r"reconstruct|place the|placing|whether|timeline|direction of travel|registered owner|"
        r"route|movements|travel path|to id|id the|looking for|look for|search for|"
        r"suspect vehicle|in order to|attempt to locate)\b",
        re.IGNORECASE,
    ),
)

TOKEN_RE = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
LETTER_RUN_RE = re.compile(r"([a-z])\1{3,}")
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
KEYBOARD_RUNS = frozenset(
    run
    for row in KEYBOARD_ROWS
    for seq in (row, row[::-1])
    for i in range(len(seq) - 3)
    for run in [seq[i : i + 4]]
) - {"erty"}  # "property", "liberty": real words
KEYBOARD_RUN_RE = re.compile("|".join(sorted(KEYBOARD_RUNS)))
PLACEHOLDER_RE = re.compile(r"\blorem\b|\bipsum\b|\bfoo\b|\bbar baz\b|\bblah\b|\bxxx+\b|\bzzz+\b")
GENERIC_AGENCIES = frozenset(
    {
        "police", "pd", "police department", "police dept", "the police", "sheriff", "so",
        "sheriffs", "sheriff s", "sheriff s office", "sheriffs office", "sheriff s department",
        "sheriffs department", "sheriff department", "law enforcement", "law enforcement agency",
        "agency", "other agency", "another agency", "outside agency", "allied agency", "da",
        "d a", "district attorney", "da s office", "das office", "prosecutor", "department",
        "dept", "other", "unknown", "unk", "n a", "na", "none", "test", "cops", "leo",
    }
)
