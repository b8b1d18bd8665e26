"""The purpose gate's tables: vague narratives it must refuse and specific ones it must accept.

Written the way officers write (plain words, police shorthand, section numbers), not generated
from the rules' own word lists. Each vague entry names a problem code it must produce, so a
rule that stops firing, or fires for another reason, fails. Add cases here as they are met;
the held-out set in purpose_heldout.py is kept apart and never tuned to.
"""

from __future__ import annotations

GOOD_NARRATIVE = (
    "Armed robbery of the 7-Eleven at 21900 S Avalon Blvd on 11/20 at 2310 hrs; witness saw a "
    "silver Honda Civic flee north; seeking reads to identify the suspect vehicle's path."
)

GENERIC = "narrative_generic"
BARE = "narrative_bare_identifier"
GIBBERISH = "narrative_gibberish"
REPEAT = "narrative_repetitive"
SHORT = "narrative_too_short"
NO_EVENT = "narrative_no_event"
NO_WHERE = "narrative_no_place_time"
NO_GOAL = "narrative_no_objective"
MISSING = "narrative_missing"
PROHIBITED = "narrative_prohibited_use"

VAGUE_BASIC: list[tuple[str, str]] = [
    # generic words alone, as seen in published audit logs
    ("investigation", GENERIC),
    ("inv", GENERIC),
    ("invest", GENERIC),
    ("bolo", GENERIC),
    ("test", GENERIC),
    ("ongoing", GENERIC),
    ("crime", GENERIC),
    ("INVESTIGATION", GENERIC),
    ("Inv.", GENERIC),
    ("ongoing investigation", GENERIC),
    ("crime investigation bolo", GENERIC),
    ("test test", GENERIC),
    ("Investigations", GENERIC),
    # a category or offense name alone
    ("criminal investigation", GENERIC),
    ("Criminal investigation", GENERIC),
    ("prosecution", GENERIC),
    ("agency request", GENERIC),
    ("Request from another law-enforcement or prosecutorial agency", GENERIC),
    ("robbery", GENERIC),
    ("vehicle theft", GENERIC),
    ("Homicide", GENERIC),
    ("Hit and run", GENERIC),
    ("Kidnapping / abduction", GENERIC),
    ("investigation of robbery", GENERIC),
    ("Robbery investigation - prosecution", GENERIC),
    # filler
    ("search", GENERIC),
    ("n/a", GENERIC),
    ("NA", GENERIC),
    ("N.A.", GENERIC),
    ("none", GENERIC),
    ("see case", GENERIC),
    ("per sgt", GENERIC),
    ("follow up", GENERIC),
    ("follow-up", GENERIC),
    ("official business", GENERIC),
    ("per detective's request", GENERIC),
    ("plate check", GENERIC),
    ("run plate", GENERIC),
    ("lookup", GENERIC),
    ("info", GENERIC),
    ("bolo for car", GENERIC),
    ("looking for a car", GENERIC),
    ("suspect vehicle", GENERIC),
    ("need to find the suspect's car", GENERIC),
    # long but generic
    (
        "This search is for an ongoing criminal investigation being conducted by the "
        "department.",
        GENERIC,
    ),
    ("Searching for a suspect vehicle related to an ongoing investigation.", GENERIC),
    ("Checking plates for an open case per the sergeant's request.", GENERIC),
    ("Vehicle was seen near the scene, need to identify it.", GENERIC),
    # bare case numbers and plates
    ("123-45678-2026-001", BARE),
    ("7ABC123", BARE),
    ("7abc 123", BARE),
    ("case 123-45678-2026-001", BARE),
    ("URN 123-45678-2026-001", BARE),
    ("LAPD-2026-004512", BARE),
    ("Plate 6TRJ244", BARE),
    ("7ABC123 8XYZ999 4KLM555", BARE),
    ("#26-004512", BARE),
    ("Investigation 123-45678-2026-001 7ABC123", BARE),
    # keyboard mash, repeated letters, placeholder text
    ("asdf", GIBBERISH),
    ("asdfasdf", GIBBERISH),
    ("asdf asdf asdf asdf", GIBBERISH),
    ("qwerty", GIBBERISH),
    ("aaaaaaa", GIBBERISH),
    ("jkjkjkjkjk", GIBBERISH),
    ("sdfkjhsdkfjh", GIBBERISH),
    ("blah blah blah", GIBBERISH),
    ("lorem ipsum", GIBBERISH),
    (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore.",
        GIBBERISH,
    ),
    ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", GIBBERISH),
    ("...", GIBBERISH),
    # repeated text
    ("stolen car stolen car stolen car stolen car", REPEAT),
    ("witness witness witness witness witness witness", REPEAT),
    # too short to say anything
    ("Stolen car on Main St", SHORT),
    ("robbery suspect fled", SHORT),
    ("Robbery at the liquor store", SHORT),
    ("Looking for the white van", SHORT),
    ("Locate vehicle involved in shooting", SHORT),
    # a sentence missing what happened, where or when, or what is sought
    (
        "Deputies are attempting to locate a vehicle of interest in connection with a "
        "reported incident.",
        NO_EVENT,
    ),
    ("Traffic stop follow up, need to confirm the registered owner address for paperwork.",
     NO_EVENT),
    ("Checking on my ex-girlfriend's car to see where she has been parking lately.", NO_EVENT),
    ("Want to know where my neighbor goes every day because he seems suspicious.", NO_EVENT),
    ("Car was stolen and we are trying to find it using the readers.", NO_WHERE),
    ("Robbery occurred on Tuesday near the park and the suspect got away in a car.", NO_GOAL),
    ("Burglary at a residence on Avalon Blvd last night, suspect unknown.", NO_GOAL),
    ("Seeking information to identify the driver of a vehicle for our records.", NO_EVENT),
    # a sighting is not a crime
    ("Gang member seen driving around the Scottsdale tract; want to track his movements for "
     "intel.", NO_EVENT),
    ("Subject's car seen near City Hall Monday; identify everyone who was with him.", NO_EVENT),
    ("Missing person, family worried, last seen Tuesday at home, looking for her car.",
     NO_EVENT),
    ("Got a hit on the plate at Carson St on Monday, want to track the vehicle's movements.",
     NO_EVENT),
    ("Stolen vehicle seen on the street today, looking for the car.", GENERIC),
    # uses the policy does not authorize, however detailed
    ("My wife's car was stolen from the Carson mall parking lot on Monday at 1400 hrs; seeking "
     "reads to locate it.", PROHIBITED),
    ("Immigration enforcement: undocumented driver seen near Avalon Blvd on 3/3 after a theft; "
     "locate the vehicle.", PROHIBITED),
    ("Repo company says the owner hid the stolen car on Avalon Blvd on 4/4; locate it for them.",
     PROHIBITED),
    ("Testing the system with a robbery example at Main St on 1/1 to identify the suspect car.",
     PROHIBITED),
    # nothing at all
    ("", MISSING),
    ("   \n\t ", MISSING),
]

SPECIFIC_BASIC: list[str] = [
    GOOD_NARRATIVE,
    "Victim's white 2019 Toyota Camry was stolen from the driveway of her home on E 223rd St "
    "overnight on 3/4; looking for reads of the plate after 0100 hrs to locate it.",
    "Hit and run collision at Carson St and Main St at 1745 hrs on Friday; a gray pickup struck "
    "a pedestrian and fled west; seeking the pickup's direction of travel.",
    "Two males shot at a group outside the liquor store on Avalon Blvd at 0130 hrs Sunday and "
    "fled in a black Dodge Charger; identify the Charger from reads near the scene.",
    "Carjacking at gunpoint in the Ralphs parking lot on Sepulveda Blvd at 2140 hrs; victim's "
    "blue Kia Optima taken; track the Optima's movements after 2140 to recover it.",
    "Residential burglary on W Victoria St between 0900 and 1500 hrs on 6/12; neighbor saw a "
    "red Nissan Altima parked in the driveway; determine whether the Altima was in the area.",
    "Catalytic converters cut from three vehicles at the Dominguez Hills apartments overnight "
    "3/18; tan Ford Ranger seen leaving; seeking reads to identify the Ranger.",
    "Victim assaulted with a bat during a road rage incident at 220th St and Figueroa St at "
    "1615 hrs; suspect fled in a white Chevrolet Silverado; locate the Silverado.",
    "Homicide victim found in an alley behind the 21800 block of Main St on 9/2 at 0545 hrs; "
    "establish which vehicles passed the alley entrance between 0300 and 0545.",
    "Armed robbery of a food truck on Carson St near the mall at 2015 hrs on Saturday; "
    "suspects left in a green Honda Accord; seeking the Accord's route to the 405.",
    "Child abducted from a park on Wilmington Ave on 4/2 at 1630 hrs by a non-custodial parent "
    "driving a silver Toyota Sienna; locate the Sienna to recover the child.",
    "Felony evading: a gray BMW 3-series fled from deputies on Del Amo Blvd at 0210 hrs after "
    "a failed stop; seeking reads to identify the registered owner and driver.",
    "Arson at the abandoned warehouse on E Dominguez St on 8/30 around 0300 hrs; a witness "
    "saw a dark SUV leave; identify vehicles passing the site before the fire.",
    "Vandalism: City Hall windows smashed on 2/14 at 0420 hrs; camera shows a white Jeep "
    "Wrangler stopping at the curb; seeking reads to identify the Jeep.",
    "Shots fired into a residence on W 228th St on 7/4 at 2350 hrs; neighbors report a "
    "dark sedan fleeing eastbound; determine which vehicles passed eastbound after 2350.",
    "Elderly victim's credit card used at a gas station on Avalon Blvd on 10/3 at 1100 hrs "
    "after her purse was snatched; identify the vehicle the suspect drove away in.",
    "Prosecution of PC 211 case: confirm that the defendant's gray Mazda 3 passed the "
    "Carson St camera before the robbery on 1/9 at 1930 hrs, as the witness stated.",
    "DA requests corroboration for trial: defendant claims he was in Long Beach when the "
    "victim was stabbed on 5/21 at 2200 hrs; verify whether his truck was in Carson then.",
    "Long Beach PD requested reads: their victim was kidnapped on 3/30 and the suspect's "
    "brown Chevrolet Express van was reported driving toward Carson; locate the van.",
    "Torrance PD robbery suspect fled in a stolen black Audi A4 on 11/1 at 1400 hrs; they "
    "ask whether the Audi passed Carson cameras northbound on the 110 afterwards.",
    "Hit and run on Sepulveda Blvd at Main St on 12/24 at 1900 hrs; a bicyclist was struck by "
    "a dark green Subaru Outback that fled south; seeking reads to identify it.",
    "Narcotics sale observed by undercover deputies at the motel on Avalon Blvd on 6/8 at "
    "1330 hrs; seller drove a red Ford Fusion; identify the Fusion and its routine route.",
    "Victim of human trafficking escaped from a residence on E 213th St on 2/27; she "
    "described a white Cadillac Escalade used to transport her; locate the Escalade.",
    "Sexual assault reported near Carson Park on 9/15 at 2230 hrs; suspect drove off in an "
    "older blue Toyota pickup; seeking reads between 2200 and 2300 to identify it.",
    "Stolen U-Haul box truck taken from the rental lot on Avalon Blvd on 4/18 at 0315 hrs; "
    "tracking its movements since the theft to recover it.",
    "Identity theft: suspect used the victim's identity to rent a silver Nissan Rogue on 3/2 "
    "and was seen at the Carson mall; determine where the Rogue traveled after the rental.",
    "On Monday at 1500 hrs a jogger was hit by a white Tesla Model 3 at Victoria St and "
    "Avalon Blvd; the driver fled; looking for the Tesla to identify the driver.",
    "Yesterday evening a man brandished a handgun at a clerk in the Carson Target and left in "
    "a maroon Chrysler 300; seeking reads to identify the Chrysler and its owner.",
    "Shoplifting ring stole power tools from Home Depot on Avalon Blvd on 5/5 and 5/12; both "
    "times a gold Honda Odyssey was seen; identify the Odyssey to link the thefts.",
    "Assault with a deadly weapon: the victim was struck with a tire iron on 8/8 at 0115 hrs "
    "outside a bar on Carson St; the suspect fled in a black Jeep Cherokee; locate it.",
    "Drive-by shooting at a house on W 220th St on 1/1 shortly after midnight; a witness "
    "heard shots and saw a silver minivan; establish which minivans passed the block.",
    "Fraud: forged checks were cashed at the bank on Carson St on 7/19 at 1045 hrs by a man "
    "who arrived in a blue Hyundai Elantra; identify the Elantra to find the suspect.",
    "The victim's personal property was stolen from her car on Main St on 1/1 at 1300 hrs; "
    "identify the vehicle the thief left in.",
    "My partner and I saw a robbery suspect flee from the 7-Eleven at Main St on 1/1 at 0940 "
    "hrs; locate the suspect vehicle, a white Ford Transit.",
    "ARMED ROBBERY AT THE 76 STATION ON AVALON BLVD ON 3/3 AT 0200 HRS. SUSPECT FLED IN A "
    "BLACK CHEVY MALIBU. SEEKING READS TO IDENTIFY THE MALIBU.",
]

NOT_A_CRIME = "narrative_not_a_crime"
NO_WINDOW = "narrative_no_window"

# Vague purposes as officers actually type them in a hurry: shorthand, section numbers alone,
# a sighting with no crime, a non-criminal hold. (narrative, a problem code it must produce)
VAGUE_SHORTHAND: list[tuple[str, str]] = [
    ("susp veh f/u", GENERIC),
    ("f/u on 459", BARE),
    ("ATL susp veh", SHORT),
    ("BOLO wht van", SHORT),
    ("RO info", SHORT),
    ("need RO", SHORT),
    ("LKL for veh", SHORT),
    ("LKL of susp", SHORT),
    ("per Det Garcia", SHORT),
    ("per sgt req", GENERIC),
    ("inv f/u", GENERIC),
    ("GTA", SHORT),
    ("GTA f/u", SHORT),
    ("ADW", GENERIC),
    ("ADW case", GENERIC),
    ("211 inv", BARE),
    ("459 PC", SHORT),
    ("10851 VC", SHORT),
    ("PC 211 f/u", SHORT),
    ("HS 11378 inv", SHORT),
    ("UUV", SHORT),
    ("UUV f/u per sgt", SHORT),
    ("VOI", SHORT),
    ("POI veh", SHORT),
    ("DR 26-004512", BARE),
    ("DR# 26-004512 f/u", BARE),
    ("S/ veh", GENERIC),
    ("V/ veh", SHORT),
    ("blk sedan", SHORT),
    ("wht truck susp", SHORT),
    ("chk plt", GENERIC),
    ("run plt 8ABC123", BARE),
    ("8ABC123 hits", BARE),
    ("hits on plt", GENERIC),
    ("need hits on susp veh for approx 2 wks", SHORT),
    ("susp veh seen in the area of Avalon/Carson, need LKL", NO_EVENT),
    ("S/ veh seen near Carson Mall 11/2 approx 1500 hrs, need LKL and RO", NO_EVENT),
    ("POI drives a gry Camry, seen around Dolores St at night, need pattern of life", NO_EVENT),
    ("5150 subj walked away from the hosp on Avalon 11/4 approx 1300, ATL his veh",
     NOT_A_CRIME),
    ("W&I 5150 hold, pt left Harbor UCLA 11/6 at 0900 hrs in a blu Kia, need LKL of the Kia",
     NOT_A_CRIME),
    ("WIC 601 runaway juv left home on E 223rd St 11/5 approx 2200, ATL bf's wht Civic",
     NOT_A_CRIME),
    ("VC 22651 tow f/u, veh abandoned on Main St since 11/2, need RO for the tow", NOT_A_CRIME),
    ("B&P 17200 complaint on the used car lot on Avalon 11/3, check their vehs", NOT_A_CRIME),
    ("trng qry", SHORT),
    ("test qry pls ignore", SHORT),
    ("bolo per watch cmdr", SHORT),
    ("inv per LT", GENERIC),
    ("asst outside agency", SHORT),
    ("N/A - see DR", GENERIC),
    ("see rpt", GENERIC),
    ("info in RMS", SHORT),
    ("same as prev", SHORT),
    ("prop crime f/u", SHORT),
    ("daytime srch for best result", SHORT),
    ("srch", GENERIC),
    ("qry", GENERIC),
    ("susp veh f/u, see DR 26-004512, per Det.", BARE),
    ("Parolee compliance chk, verify where his veh is parked overnight on 220th St", NO_EVENT),
    ("Gang member's blk Charger seen cruising Avalon most nights, want to track it", NO_EVENT),
    ("R/P says susp veh parks on her st every night, chk it out, 21800 blk Moneta", NO_EVENT),
    ("Need all reads for 7XYZ123 last 30 days per Det., see DR 26-004512", NO_EVENT),
    ("ATL veh, RO has felony warrant", NO_WHERE),
    ("S/ fled in wht veh, need RO", NO_WHERE),
    ("GTA on 11/20, need to ID who took the veh and trace it", GENERIC),
    ("211 PC on 11/20 at 2310 hrs at the 7-11, S/ veh unk", NO_GOAL),
    ("459 PC resd on E 223rd St overnight 11/14, S/ unk", NO_GOAL),
    ("Assist TPD w/ their case, see their DR", SHORT),
    ("LKA for S/ per Det. Ruiz, S/ wanted", NO_EVENT),
    ("S/ veh - blk Charger, plt unk", SHORT),
    ("ATL wht Econoline, poss involved", SHORT),
    ("f/u per DDA, need hits for trial", NO_EVENT),
    ("veh hist for 6ABC123 last 90 days", NO_EVENT),
    ("chk if V/ veh is in Carson", SHORT),
    ("Poss S/ veh in area of Main/Carson, pls chk", NO_EVENT),
    ("RO and LKL for 8DEF456 per watch commander, urgent", NO_EVENT),
    ("need reads on Avalon 11/20 0000-2359", NO_EVENT),
    ("Follow-up on 10851", BARE),
    ("UUV - see rpt", SHORT),
    ("Training: 459 PC at E 223rd St 11/20 0900 hrs, need reads to ID the van.", PROHIBITED),
    ("211 PC at the 7-11 on Avalon 11/20 2300 hrs, need reads to ID S/ veh (test only)",
     PROHIBITED),
    # who someone is, or what they did before, is not a crime this search investigates
    ("Known burglar drives a gry Camry, check his movements on Avalon this week.", NO_EVENT),
    ("Parolee for 211 PC, check his car's movements on Avalon this week.", NO_EVENT),
    ("S/ has priors for 459 PC, need reads of his veh on Main St last month to see where he "
     "goes.", NO_EVENT),
    ("S/ convicted of 10851 VC in 2019, check where his truck goes at night on Main St.",
     NO_EVENT),
]

# Vague purposes in plain words.
VAGUE_PROSE: list[tuple[str, str]] = [
    ("Investigation into a possible crime in the area.", GENERIC),
    ("Property crime", SHORT),
    ("Daytime search for best result", SHORT),
    ("Vehicle of interest in an ongoing investigation, see the case file for details.",
     GENERIC),
    ("Suspicious vehicle reported by a resident on Bonita St, want to see where it goes.",
     NO_EVENT),
    ("Gathering intelligence on vehicles frequenting the swap meet on weekends.", NO_EVENT),
    ("Proactive patrol: pull reads for cars parked overnight at Victoria Park on Sunday.",
     NO_EVENT),
    ("Tip from a citizen about a strange van near the school on Monday, check its history.",
     NO_EVENT),
    ("Want to know who visits the house on E 220th St late at night this week.", NO_EVENT),
    ("Neighbor dispute on Bonita St; one neighbor says the other parks in front of her house "
     "every day, check his car.", NO_EVENT),
    ("Process server asked us to find where the defendant parks so he can be served on "
     "Monday.", NO_EVENT),
    ("Landlord says the tenant's car might be involved in something, check it on Avalon.",
     NO_EVENT),
    ("Just curious whether my old partner's car is still around Carson these days.",
     PROHIBITED),
    ("Checking on my daughter's boyfriend's car, she has been staying out late on weekends.",
     PROHIBITED),
    ("Training new analysts on the system with a sample search of Avalon Blvd on 11/2.",
     PROHIBITED),
    ("Statistics on traffic volume on Carson St for the city council meeting on Tuesday.",
     NO_EVENT),
    ("Media request for the plate reads of the mayor's car near City Hall last week.",
     NO_EVENT),
    ("Defense attorney asked for the reads of his client's car on 11/4 near the mall.",
     NO_EVENT),
    ("Was told to run this plate by the watch commander.", GENERIC),
    ("Case prep for trial", SHORT),
    ("Prosecution of the defendant, see the DA file.", GENERIC),
    ("Looking into a tip about a car.", SHORT),
    ("Missing adult, family says he left home on Main St on 11/2 in his car, locate him.",
     NO_EVENT),
    ("Welfare check on an elderly man who drove off from his home on Avalon this morning, "
     "find his car.", NO_EVENT),
    ("Reads needed for the audit of camera uptime at the Carson St site last month.",
     NO_EVENT),
    ("Car was stolen, we need to find it.", SHORT),
    ("Someone stole a car and we need to find out where it went.", NO_WHERE),
    ("A robbery happened at the gas station on Carson St last night.", NO_GOAL),
    ("Shooting on W 223rd St on 11/20, details in the report.", NO_GOAL),
    ("Assist another deputy with his case, he asked me to run a few plates.", GENERIC),
    ("jfjfjfjf", GIBBERISH),
    ("zxcvbnm", GIBBERISH),
    ("hjkl hjkl hjkl", GIBBERISH),
    ("qqqqqq", GIBBERISH),
    ("Test of the new search screen after the update on Monday, looking for any car.",
     PROHIBITED),
    ("I want to see where the car of the guy who cut me off on the 405 went this morning.",
     NO_EVENT),
    ("Want to locate my stolen truck, last seen on Main St on 11/2 at 1400.", PROHIBITED),
    ("ICE requests the location of a van that fled from agents on Avalon on 11/3 at 0900; "
     "locate the van.", PROHIBITED),
    ("Per Det. Ruiz: pull all reads for 8ABC123 on Avalon from 11/1 to 11/20, he is a known "
     "dealer.", NO_EVENT),
    ("Documented gang member and prolific tagger, track his car on Carson St this week.",
     NO_EVENT),
]

# An outside agency's request without the window it asks for (declared as an agency request
# with the agency and requester filled in).
AGENCY_VAGUE: list[tuple[str, str]] = [
    ("Per LBPD request", SHORT),
    ("Request from outside agency, see their case", SHORT),
    ("Request from LBPD for reads on a car they are interested in.", NO_WINDOW),
    ("TPD req for plt hits", SHORT),
    ("LBPD Det. Lopez asked for all reads of 8ABC123 for their case, please send them.",
     NO_WINDOW),
    ("Outside agency request per Lt., assist them with reads on the white van.", NO_WINDOW),
]

# Specific narratives in police shorthand and section numbers, as typed in the field.
SPECIFIC_SHORTHAND: list[str] = [
    "487(d)(1) PC: V/ 2015 Toyota Tacoma taken from the lot at 1200 E Carson St between 2200 "
    "11/19 and 0600 11/20. Pull reads on V/ plate after 2200 to locate the veh.",
    "246 PC - S/ fired 4 rds into an occupied resd on W 228th St @ 0115 hrs 11/16, S/ veh "
    "dk sedan EB. Query EB reads 0110-0130 to ID the sedan.",
    "594 PC, fresh tagging on the Avalon Blvd overpass overnight 11/12; R/P saw a wht Honda "
    "Element stop under the bridge approx 0230. Need reads to ID the Element.",
    "20002(a) VC: V/ parked car struck on Moneta Ave 11/17 approx 1900 hrs, S/ left no info. "
    "Paint transfer is red. Check which red vehs passed Moneta 1850-1910.",
    "HS 11378 - CI reports a wht Nissan Titan delivering meth to the apts on Grace Ave on "
    "Tuesdays approx 2000. Verify whether the Titan was there 11/11 and 11/18.",
    "23153 VC - DUI TC w/ injuries at Del Amo/Wilmington 11/14 2330 hrs, driver fled on foot "
    "and a gry Altima picked him up. Need the Altima's plate and RO.",
    "PC 211 at the Jack in the Box on Avalon 11/20 approx 0145, S/ displayed a handgun, fled "
    "in a blk Infiniti G37 NB. Trace NB Avalon reads 0140-0200.",
    "11350(a) H&S arrestee claims the car was loaned to him by a friend on 11/9; check whether "
    "the blu Mazda 6 was on Carson St at 1400 hrs that day as the friend says.",
    "10851 VC: V/ 2008 Honda Accord wht taken from the driveway at 21900 blk S Main St "
    "overnight 11/15-11/16. Pull all reads of V/ plate since 2200 11/15.",
    "PC 459 comm burg, Carson Auto Parts on Avalon, alarm at 0312 hrs 11/18, rear door pried. "
    "S/ veh possibly a silv Ford Ranger. ID the Ranger from reads near the store.",
    "ADW: V/ struck w/ a bottle in the lot of the bar at 222nd/Main 11/15 approx 0150, S/ "
    "fled in a gry Dodge Ram. Locate the Ram and ID the RO.",
    "GTA - 2021 Kia Sportage red taken from the Kaiser lot on Avalon 11/13 btwn 0700-1500 "
    "hrs. Need LKL of the Kia via reads.",
    "H&R TC Carson St x Figueroa 11/19 1730 hrs, ped struck, S/veh blk Chevy Tahoe w/ front "
    "damage fled WB. Query WB Carson reads 1725-1745.",
    "S/ brandished a knife at a clerk, Dollar Tree on Avalon, 11/10 @ 1615 (417 PC). S/ left "
    "in a wht Hyundai Sonata. Pull reads at Avalon/213th to ID it.",
    "V/ reports S/ ex-bf violated a DVRO by following her from work on Main St to her apt on "
    "E 220th 11/16 @ 1830. S/ drives a gry Honda CR-V. Confirm the CR-V's route.",
    "211 susp from LASD Carson case, wht Ford Transit van, seen fleeing the Arco on Carson St "
    "11/19 0215 hrs. Need Transit reads EB Carson 0210-0230 to ID it.",
    "Resi burg 459 PC, E Scottsdale Dr, between 0800-1700 11/18. R/P neighbor saw a blk "
    "Nissan Armada parked in V/ driveway approx 1130. Need reads to ID the Armada.",
    "VC 2800.2 - S/ veh blk Mustang evaded deputies from 223rd/Avalon 11/17 @ 2250 at speeds "
    "over 90 mph, pursuit terminated. Query reads to ID the RO and driver.",
    "Cat converter theft x3 at the apts on E Gladwick overnight 11/11, S/ veh a gld Toyota "
    "Sienna per cam. Check Sienna reads at Avalon/Gladwick 0100-0400.",
    "PC 288 investigation: V/ (minor) says S/ picked her up near Carson HS after school 11/7 "
    "in a blu Ford Fusion. Need reads to ID the Fusion and its RO.",
    "PC 273.5: V/ beaten by bf at their apt on Grace Ave 11/19 approx 2100; S/ fled in a wht "
    "Chevy Cruze before deps arrived. ATL the Cruze, need LKL via reads.",
    "VC 20001(a) fatal H&R, Avalon Blvd S of 223rd, 11/12 approx 0510. Debris from a Toyota "
    "Camry, silv. Need all silv Camry reads on Avalon 0500-0530.",
    "PC 245(a)(1) - S/ swung a machete at V/ outside the liquor store on Carson/Main 11/18 "
    "@ 2200, then left in an older grn Ford Explorer. ID the Explorer.",
    "PC 422 crim threats: S/ threatened to shoot V/ at her work on Wilmington Ave 11/20 "
    "approx 1230, drives a red Jeep Compass. Need the Jeep's reads since 11/20 to locate S/.",
    "PC 187: V/ found deceased in his veh on E Victoria St 11/14 approx 0620. Neighbor heard "
    "shots approx 0330. Establish which vehs passed Victoria 0300-0400.",
    "11351 H&S - arrestee's car had 2 lbs of fent; he says he never left LB on 11/8. "
    "Corroborate or exclude his blk Audi at the Carson cams that evening.",
    "B&P 25662 + 23152 VC: minor DUI crashed into a fence on Dolores St 11/16 0140, a "
    "passenger fled in a 2nd car, wht Prius. ID the Prius from reads.",
    "PC 496 - stolen power tools recovered at a swap meet; seller drives a tan Ford F-250. "
    "V/ tools taken from his truck on Main St 11/9. ID the F-250's RO.",
    "PC 530.5 ID theft, S/ used V/ card at the Shell on Avalon 11/17 @ 0922 and drove off in "
    "a wht Kia Forte per clerk. Need reads near the Shell 0915-0930.",
    "VC 23103 reckless driving / sideshow at Carson St & Figueroa 11/15 0100-0145 hrs, 20+ "
    "vehs. Pull reads at the intx to ID participants.",
    "PC 664/187 - V/ shot twice at the park on Dolores 11/19 @ 1945, S/ left in a blk Honda "
    "Accord w/ tinted windows. Trace the Accord's route after 1945.",
    "GTA: rental Chevy Malibu (Enterprise, Avalon Blvd) not returned, embezzled since 11/1. "
    "Locate the Malibu via reads since 11/1.",
    "PC 207 - juv V/ forced into a gry minivan at the bus stop on Main/223rd 11/18 approx "
    "1540 per 2 wits. ATL the minivan, need all reads on Main 1535-1555.",
    "PC 451 arson, abandoned house on E 220th St set on fire 11/13 approx 0240; wit saw a "
    "silv pickup leave. Determine which pickups passed 220th/Avalon 0220-0300.",
    "HS 11359 - deps found a grow house on Bonita St 11/10; a blu Toyota Tundra comes daily "
    "per neighbors. Query Tundra reads near Bonita for 11/1-11/10 to ID the RO.",
    "PC 594(b)(1) - V/ car keyed and tires slashed in the lot of the gym on Carson St 11/17 "
    "btwn 1800-1930. Cam shows a wht Jeep. Check Jeep reads at the lot entrance.",
    "S/ stole a pallet of Tide from the Food 4 Less on Avalon 11/19 @ 1410 (PC 490.2), loaded "
    "it in a gry Honda Odyssey, fled SB. Pull SB Avalon reads 1405-1425 to ID the Odyssey.",
    "V/ blk Tesla Model Y broken into at the Dignity Health lot on Carson St 11/17 btwn "
    "1300-1500, laptop taken. Wit saw a wht Audi A6 circling. Query Audi reads at the lot.",
    "DUI / 20001 VC - wht Ram hit a motorcyclist at Main/Del Amo 11/21 0040, fled NB Main. "
    "Moto rider has major injuries. Need NB Main reads 0035-0050 to ID the Ram.",
    "PC 243(e)(1) - V/ says her ex slapped her in the parking lot of Carson Park 11/20 approx "
    "1700 and drove off in a red Mitsubishi Outlander. Need LKL of the Outlander.",
    "Ped vs veh TC at Avalon x 220th 11/19 approx 2015, V/ critical, S/ veh a dk SUV "
    "w/ a broken headlight, fled SB. Chk SB Avalon reads 2010-2025.",
    "PC 211 - 2 S/ took V/ gold chain at gunpoint at the laundromat on Main St 11/18 approx "
    "2130, fled in a slv Infiniti Q50 w/ paper plates. ID via reads near the laundromat.",
    "S/ on probation for 459 PC stole a car from the lot on Main St 11/2 at 1400 hrs, need "
    "reads to ID the car.",
    "PC 646.9 stalking: S/ follows V/ from her job at the mall on Avalon almost daily since "
    "11/1 in a red Nissan Versa. Need a timeline of the Versa near the mall.",
    "V/ veh shot at on the 405 NB at Avalon 11/20 approx 1640 (246.3 PC). S/ veh slv Dodge "
    "Charger. Pull reads near the Avalon on-ramp 1630-1700.",
    "PC 215 carjacking @ the Ralphs on Avalon 11/19 2110 hrs, V/ blk BMW X3 taken at gun "
    "point. Pull V/ plate reads after 2110 to locate the X3.",
    "23152(a) VC - drunk driver hit 3 parked cars on E 213th St 11/15 0220 and drove off in "
    "a wht Ford Escape w/ front end dmg. Query reads to ID the Escape.",
    "PC 470 - forged checks cashed at the credit union on Carson St 11/6 @ 1015 by a F who "
    "arrived in a blu Nissan Kicks. Need reads at the lot to ID the Kicks.",
    "Prosecution, DA req: confirm def's gry Silverado passed the Avalon/Victoria cam on 10/2 "
    "btwn 2100-2130 before the 211 at the 7-11, as the wit testified.",
    "S/ exposed himself to juvs at the park on Dolores 11/18 approx 1600 (PC 314) and left in "
    "a tan Buick Lacrosse. Need reads near the park to ID the Buick.",
    "V/ elderly F scammed by a fake roofer 11/4 at her resd on Bonita St (PC 368(d)); S/ veh "
    "wht Ford F-150 w/ ladder rack. ID the F-150 and RO.",
]

# Specific narratives in plain words.
SPECIFIC_PROSE: list[str] = [
    "A delivery driver was robbed of his van at gunpoint on E Sepulveda Blvd on 11/18 at "
    "about 3 pm; the van has a tracker that went dark. Pull reads of the van's plate since "
    "3 pm to find where it went.",
    "Someone dumped a load of construction debris and about thirty tires on the shoulder of "
    "Alameda St near Dominguez on the night of 11/16; a witness saw a white box truck. "
    "Check which box trucks passed Alameda between 2200 and 0400.",
    "Tagging on the sound wall along the 405 at Carson St appeared overnight on 11/13; the "
    "same crew hit the wall twice last month. Pull reads near the wall between midnight and "
    "5 am to identify the crew's car.",
    "Shots were fired into an occupied home on W 232nd St at about 11:40 pm on 11/17; shell "
    "casings were found in the street. Verify whether the gray Honda seen by a neighbor "
    "passed the Main St camera at that time.",
    "A catalytic converter was cut from a Honda Element parked outside the library on "
    "Carson St on 11/20 between noon and 1 pm; a witness saw a silver sedan drive off. "
    "Need a list of silver sedans read at the library entrance in that hour.",
    "A pedestrian was struck in the crosswalk at Avalon Blvd and 213th St on 11/19 at 6:10 pm "
    "and the driver kept going south. Confirm or exclude the dark pickup that the bus driver "
    "described by pulling southbound reads from 6:05 to 6:20.",
    "The victim says she was followed from the Carson mall to her home on 11/15 evening and "
    "then threatened by the driver; she wrote down a partial plate. Query the partial "
    "against reads at the mall exits between 7 and 8 pm to identify the car.",
    "Two men broke into the church office on Avalon Blvd on the night of 11/12 and took the "
    "safe; a neighbor's camera shows a black Chevy Suburban at 1:15 am. Establish the "
    "Suburban's plate from reads near the church.",
    "Mail was stolen from cluster boxes on three streets off Victoria St on the morning of "
    "11/18; residents saw a red Toyota Corolla stopping at each box. Trace the Corolla's "
    "movements that morning.",
    "A woman was dragged by a car when a thief grabbed her purse through the window in the "
    "Target lot on Avalon on 11/16 at 4:30 pm. Identify the thief's white Chrysler "
    "minivan from reads at the lot exits.",
    "On 11/14 around 9 pm a gas station clerk on Main St was pistol-whipped and the register "
    "emptied; the robber left in a green Honda Civic hatchback. Locate the Civic through "
    "reads on Main after 9 pm.",
    "Copper wire was stripped from the streetlights along Figueroa St between 190th and 223rd "
    "over the weekend of 11/8; a utility truck with no markings was seen. Need reads of "
    "unmarked utility trucks on Figueroa that weekend.",
    "A dog was shot with a pellet gun in a backyard on E Bonita St on 11/10 at about 5 pm, "
    "animal cruelty; the neighbor saw a blue Ford Focus leave. Identify the Focus from reads "
    "on Bonita.",
    "A 14-year-old girl was lured into a white Dodge Charger near Carson High School on 11/19 "
    "after school and is still missing; her friends saw the car. Locate the Charger "
    "urgently with reads since 3 pm.",
    "The victim's identity was used to lease a black Range Rover at a dealership in Torrance "
    "on 11/2; the car has been seen around Carson. Trace where the Range Rover has been "
    "since 11/2 to find the suspect.",
    "A bicyclist was sideswiped and knocked down on Wilmington Ave near 220th St on 11/17 at "
    "7:45 am by a gray work van that did not stop. Pull reads on Wilmington from 7:40 to "
    "7:55 to identify the van.",
    "A group of juveniles smashed car windows along E 228th St overnight on 11/14 and a "
    "resident filmed a gold Nissan Sentra picking them up. Check whether the Sentra passed "
    "the Avalon cameras after 1 am.",
    "Fuel was siphoned from four city trucks at the corporate yard on Main St over the night "
    "of 11/11; the gate camera shows a brown pickup. Determine which pickups passed the yard "
    "between 9 pm and 5 am.",
    "An employee embezzled cash from the store on Carson St and says she was at home in "
    "Compton on 11/3; to test her alibi, check whether her white Kia Soul was read on "
    "Carson St between 10 am and 2 pm that day.",
    "A house party on E Victoria St ended with a man stabbed in the driveway at about 2 am on "
    "11/16; guests say the attacker left in a silver Lexus. Pull the Lexus reads near "
    "Victoria after 2 am to identify it.",
    "A bomb threat was called in to the Carson courthouse on 11/12 at 8:50 am from a phone "
    "later found in a parked red Mazda on Dolores St. Need the Mazda's movements that "
    "morning to identify the caller.",
    "A tow truck driver took a car from the lot at 21700 Avalon Blvd on 11/18 without any "
    "authority and the owner reported it stolen. Trace the tow truck and the car from reads "
    "since 10 am.",
    "Packages were taken from porches on E Lincoln St on the afternoons of 11/4, 11/6 and "
    "11/10; doorbell cameras show the same blue Hyundai Elantra. Pull Elantra reads on "
    "Lincoln for those afternoons.",
    "A street takeover blocked Main St at 223rd St on 11/15 from 12:30 to 1:15 am and a "
    "deputy's car was hit by a Camaro doing donuts. Identify the Camaro and others at the "
    "intersection from reads.",
    "A clerk at the pharmacy on Avalon Blvd was threatened with a knife for opioids on 11/13 "
    "at 7:20 pm; the suspect drove a tan Honda Pilot. Need the Pilot's plate and the "
    "direction it left.",
    "Defense says the defendant's truck was in Riverside on the night of the 9/14 burglary "
    "on Main St; for trial, verify whether his black Ram 1500 was read in Carson between "
    "10 pm and 2 am.",
    "A 72-year-old man was beaten and robbed at the bus stop on Avalon Blvd at 223rd St on "
    "11/20 around 6:30 am; a witness saw the robbers get into a maroon Ford Taurus. Locate "
    "the Taurus.",
    "Illegal dumping of about twenty paint cans in the alley behind the shops on Carson St on "
    "11/17 at night; the owner's camera caught a white Isuzu box truck. Need a timeline of "
    "the Isuzu in Carson that night.",
    "A rideshare driver was robbed by his passengers near Dolores St and 228th St at 1:10 am "
    "on 11/19; they took his car, a gray Toyota Prius. Pull the Prius's reads since 1:10 am "
    "to recover it.",
    "Someone fired a shotgun at a parked car on E 215th St on 11/14 at around 10 pm after an "
    "argument; witnesses describe a dark green Cadillac Escalade. Query reads on 215th and "
    "Avalon at 10 pm to find it.",
    "The victim's phone was snatched on the sidewalk outside Starbucks on Carson St on 11/18 "
    "at 8:05 am by a passenger in a white Chevy Trax. Identify the Trax from reads nearby.",
    "A man exposed himself to two women at the Carson Park pool on 11/16 around 3 pm and left "
    "in a black Ford Fiesta. Pull reads on the roads around the park to identify the "
    "Fiesta.",
    "A security guard was struck by a car fleeing the mall parking structure on Avalon Blvd "
    "on 11/13 at 9:40 pm after a shoplifting; the car was a red Kia Optima. Trace the "
    "Optima's route after 9:40.",
    "Rocks were thrown from the Avalon Blvd overpass onto cars on the 405 on 11/12 at "
    "about 11 pm, shattering a windshield; a white Chevy Colorado was parked on the bridge. "
    "Identify the Colorado.",
    "Counterfeit $100 bills were passed at three taco trucks on Main St on 11/15 evening; each "
    "vendor saw a silver Honda Odyssey. Corroborate that the Odyssey stopped at each "
    "location by pulling reads between 6 and 10 pm.",
    "A hit-and-run driver knocked over a light pole and a bus bench on Carson St at "
    "Figueroa early on 11/18 and left a bumper with the plate partly visible. Confirm the "
    "plate from reads on Carson St around 3 am.",
    "The victim was held at knifepoint in his car on E 223rd St on 11/16 at 10:30 pm and "
    "forced to drive to an ATM; the second suspect followed in a black Jeep Wrangler. "
    "Identify the Wrangler.",
    "Prosecution of the 9/28 arson at the market on Main St: the DA needs to know whether the "
    "defendant's silver Nissan Pathfinder was read near the market between 1 and 2 am.",
    "Someone slashed the tires of six cars in the lot of the apartments on Grace Ave on "
    "11/19 between 2 and 4 am; a resident saw a red Scion leave. Need reads of red Scions "
    "near Grace Ave in that window.",
    "A woman was groped on the sidewalk on Del Amo Blvd near the college on 11/17 at 8:15 pm "
    "by a man who then drove off in a white Nissan Leaf. Pull reads on Del Amo to identify "
    "the Leaf.",
    "A firearm was stolen from a deputy's personal truck parked at the station on Avalon "
    "Blvd on 11/11 between 6 and 7 am; a gray Honda Accord circled the lot. Identify the "
    "Accord.",
    "Three cars were broken into at the park-and-ride on Avalon at the 405 on 11/18 during "
    "the day; a blue Subaru Outback was seen moving slowly between rows at noon. Check the "
    "Outback's reads that day.",
    "Road rage: a driver pointed a gun at the victim on Sepulveda Blvd near Main St on 11/20 "
    "at 5:15 pm and drove off in a silver Mercedes C-class. Need the Mercedes's plate and "
    "registered owner.",
    "An elderly resident lost $12,000 to a man posing as a county inspector at her home on "
    "E 219th St on 11/5; he drove a white Ram ProMaster. Locate the ProMaster.",
    "The defendant says he lent his car to a cousin on 8/30, the night of the shooting on "
    "Dolores St; for the preliminary hearing, establish where his black Impala was read "
    "between 9 pm and midnight.",
    "Two men took a pallet of copper pipe from the job site at 1400 E Carson St on 11/14 "
    "after hours, loading it into a flatbed truck. Pull reads near the site from 6 pm to "
    "6 am to identify the flatbed.",
    "A drunk driver crashed into a house on W 230th St at 2 am on 11/17 and ran away; the "
    "car, a green Toyota 4Runner, was left but a second car picked him up. Identify the "
    "pickup car from reads on 230th.",
    "Someone poisoned neighborhood dogs with meat thrown into yards on E Dimondale Dr on 11/9 "
    "and 11/16 in the evening; a tan Camry was seen both times. Trace the Camry's visits.",
    "A woman escaped from a car on Main St at 11:50 pm on 11/19 and told deputies the driver "
    "would not let her out and hit her; the car was a white Infiniti. Find the Infiniti "
    "through reads on Main.",
    "A student was robbed of his e-bike at knifepoint outside the college on Victoria St on "
    "11/12 at 4 pm; the robber loaded it into a gray Dodge Caravan. Need Caravan reads near "
    "the campus 3:50 to 4:15 pm.",
    "A known gang member shot at a rival outside the liquor store on Avalon on 11/20 at 2310 "
    "hrs; identify the shooter's car from reads near the store.",
    "The suspect, who has priors for burglary, was seen prying a door on E 220th St on 11/3 at "
    "0200; identify his car.",
]

# An outside agency's request, naming its case (case-number field) and the requested dates.
AGENCY_SPECIFIC: list[str] = [
    "Torrance PD Det. Kim requests all reads of CA 8ABC123 from 11/01/2026 to 11/05/2026 for "
    "TPD case TPD-26-14421.",
    "Long Beach PD robbery detail asks for reads of plate 7KLM552 at the Carson cameras on "
    "11/18 and 11/19 for their report 26-004512.",
    "Gardena PD requests reads for 6XYZ789 between Nov 3 and Nov 7, all Carson sites, under "
    "their case number.",
    "LAPD Harbor detectives request every read of plate 5TRK201 from 2026-10-01 through "
    "2026-10-15 for their homicide case.",
    "Per the request of the LA County DA's office for case BA-26-512345: reads of 8MNP441 "
    "from 10/01 to 10/15.",
    "CHP South LA requests reads of 4JWX118 on 11/12 between 1800 and 2200 for their felony "
    "evading case.",
]

VAGUE: list[tuple[str, str]] = VAGUE_BASIC + VAGUE_SHORTHAND + VAGUE_PROSE
SPECIFIC: list[str] = SPECIFIC_BASIC + SPECIFIC_SHORTHAND + SPECIFIC_PROSE
