"""Held-out purpose narratives, written before the rules were changed for issue 12.

They were never used to tune the rules: they measure how the rules do on narratives they were
not built from (docs/purposes.md records the accuracy before and after). Each entry is
(narrative, agency_request); an agency request is declared with the requesting agency and
requester filled in. Do not edit entries to make them pass; add new ones to the main tables.
"""

from __future__ import annotations

HELD_OUT_VAGUE: list[tuple[str, bool]] = [
    ("Inv.", False),
    ("pls run for det", False),
    ("ATL", False),
    ("BOLO veh", False),
    ("Per LBPD request", True),
    ("Request from outside agency, see their case", True),
    ("Grand theft", False),
    ("Burglary follow up", False),
    ("susp veh", False),
    ("Case follow-up per Det. Garcia", False),
    ("Investigative lead", False),
    ("459 inv", False),
    ("UUV case", False),
    ("Searching plates for case", False),
    ("Need RO info on veh for case", False),
    ("Checking veh history", False),
    ("Training search to learn the system, Carson St on 1/1, identify vehicles passing.",
     False),
    ("Ex-boyfriend keeps driving by my house on Avalon at night, want to track where he goes.",
     False),
    ("Looking for a vehicle of interest in the area of Main St for an ongoing case.", False),
    ("Pulling reads for a crime that happened.", False),
    ("Suspect vehicle in a crime, need location history.", False),
    ("Follow up investigation per sgt, see report for details.", False),
    ("Request from LBPD for reads on a car.", True),
    ("Plate 8KLM221 case 26-004512", False),
    ("general patrol intel on vehicles frequenting the park", False),
    ("test query", False),
    ("misc", False),
    ("Robbery", False),
    ("Data for property crime trends in the north end", False),
    ("asdfjkl;", False),
]

HELD_OUT_SPECIFIC: list[tuple[str, bool]] = [
    ("459 PC resd on E Gladwick St 11/14 btwn 0800-1600 hrs. R/P neighbor saw a wht Ford "
     "Econoline van backed into the driveway. Need reads to ID the van and RO.", False),
    ("V/ reports her 2017 gry Honda Civic taken from the Carson Mall lot approx 1930 hrs "
     "11/21 (10851 VC). Pull reads on her plate since 1930 to locate the veh.", False),
    ("Ped struck in the crosswalk at Avalon/Victoria 11/18 approx 0640 hrs, driver did not "
     "stop. Dk colored SUV w/ front end damage last seen SB Avalon. Looking for SUV reads "
     "SB Avalon 0635-0700.", False),
    ("Tagging crew hit the Dolores St overpass again overnight 11/9, fresh paint approx "
     "0200. Witness saw a blk Nissan Sentra stop under the bridge. Check which Sentras "
     "passed the Dolores cameras 0130-0300.", False),
    ("Someone dumped about 40 tires on the shoulder of Wilmington Ave near the 405 on the "
     "night of 11/12. Pulling reads around the location 2200-0500 to find the truck.",
     False),
    ("Shots fired into an occupied dwelling on W 234th St, 11/20 at 2310 hrs, 246 PC. "
     "Victims heard a car speed off toward Main. Query reads on Main near 234th "
     "2300-2330 to identify the shooter's vehicle.", False),
    ("Catalytic converter was sawed off a Prius in the Carson Civic Center lot on 11/16 "
     "approx 1300 hrs. Security saw a silver Chevy Tahoe leave. Need plate of the Tahoe "
     "from reads at the Civic Center entrances.", False),
    ("HS 11378: informant says a gray Dodge Ram is delivering meth to the motel at 223rd and "
     "Figueroa on Fridays after 2100. Verify whether the Ram was in the area 11/6 and "
     "11/13.", False),
    ("S/ brandished a knife at the clerk of the Arco on Carson St 11/19 0115 hrs and left in "
     "a red Toyota Tacoma w/ a ladder rack, 417 PC. Trace the Tacoma's route after 0115.",
     False),
    ("Defense claims the defendant was at work in Irvine on 10/2; DA asked us to confirm or "
     "exclude his blk Chevy Impala at the 213th St cameras before the 10/2 2100 robbery.",
     False),
    ("23153 VC: DUI driver injured two people in a collision at Sepulveda/Avalon 11/8 2345, "
     "ran from the car. Passenger car was a loaner. Need a timeline of the loaner's "
     "movements that night.", False),
    ("ADW w/ a bat at the park on Dolores 11/17 approx 1800 hrs; V/ hospitalized. S/ fled "
     "in an older grn Honda Accord. Locate the Accord through reads near the park.",
     False),
    ("R/P saw two males breaking into cars on the 21500 blk of Orrick Ave at 0330 on 11/22; "
     "they left in a white Kia Soul. Query reads on Orrick and 220th to ID the Kia.",
     False),
    ("Porch packages stolen from homes on E 220th Pl three afternoons this week; doorbell "
     "cam shows a tan Hyundai Tucson each time. Pull Tucson reads on 220th Pl for 11/17 "
     "through 11/21.", False),
    ("Victim was followed home and groped outside her apartment on Avalon Blvd 11/3 at "
     "2215 hrs; suspect drove a blue Ford Focus. Identify the Focus and its RO.", False),
    ("Gas station drive-off at the Shell on Carson/Main 11/20 0915 hrs, $90 of fuel not "
     "paid, blk BMW X5. Get the X5's plate from reads to ID the driver.", False),
    ("Sideshow with about 30 cars blocked Avalon at Del Amo 11/15 0100-0200 hrs, a deputy "
     "car was damaged. Establish which vehicles were at the intersection to identify "
     "participants (23109 VC).", False),
    ("PC 211 strong-arm at the bus stop on Main St 11/11 approx 1730: S/ took V/'s phone "
     "and got into a wht Chevy Malibu driven by a second susp. Pull reads on Main 1720-1745 "
     "to ID the Malibu.", False),
    ("Elderly V/ scammed out of $8,000 by a fake contractor on 11/4, who drove a red Ford "
     "F-150 with a lumber rack to her home on Bonita St. Find the F-150's plate and RO.",
     False),
    ("Mail theft: USPS cluster box on E Scottsdale Dr pried open 11/19 approx 0400. A "
     "neighbor's camera caught a silver minivan. Check reads near Scottsdale 0330-0430 to "
     "identify the minivan.", False),
    ("DV: the V/ was choked by her ex at his residence on W 232nd St 11/21 2000 hrs (273.5 "
     "PC); he left in a blk Chevy Silverado and has a no-contact order. Locate the "
     "Silverado.", False),
    ("10851 VC, 2019 wht Toyota Corolla taken from the Kaiser lot on Avalon 11/12 between "
     "0700 and 1500. Pull all reads of V/ plate since 0700 11/12.", False),
    ("Hit and run TC at Figueroa and 223rd 11/10 1520 hrs, S/veh a gry Nissan Altima "
     "sideswiped a parked car and fled NB Figueroa. Query NB Figueroa reads 1515-1530.",
     False),
    ("Homicide on E Carson St 11/13 approx 0215 hrs: V/ found shot in his car. Surveillance "
     "shows a dark Jeep Grand Cherokee leaving WB. Need every Jeep read WB on Carson "
     "0200-0230.", False),
    ("Torrance PD Det. Kim requests all reads of CA 8ABC123 from 11/01/2026 0000 to "
     "11/05/2026 2359 for TPD case TPD-26-14421.", True),
    ("Long Beach PD Robbery detail (Det. M. Lopez) asks for reads of a wht Ford Transit, "
     "partial plate 7K, at Carson cameras 11/18-11/19 for LBPD DR 26-004512.", True),
    ("LA County DA's office, DDA R. Chen, requests read history for the defendant's plate "
     "6XYZ789 between 10/01 and 10/15 for trial prep in BA512345.", True),
    ("Arson: someone poured gas and lit a car on fire in the Victoria Park lot 11/16 "
     "approx 0320. A blue pickup left the lot right after. Determine which pickups passed "
     "the park cameras 0300-0340.", False),
    ("Deputy was dragged by a fleeing car during a traffic stop at 220th/Main 11/19 2240 "
     "hrs (PC 245(c)); car was a gold Mercury Grand Marquis. Trace its route after 2240.",
     False),
    ("Road rage shooting on the 405 NB near Avalon 11/22 approx 1645 hrs, V/ vehicle hit "
     "twice. S/ veh described as a silver Dodge Charger. Need Charger reads near the "
     "Avalon on-ramp 1630-1700.", False),
]

# Second held-out set, written after the rules were changed and frozen before its first run:
# the first set's failures were seen while the rules were being written, so this one is the
# honest measure of narratives the rules have never met.
HELD_OUT_B_VAGUE: list[tuple[str, bool]] = [
    ("intel", False),
    ("Suspicious circumstances", False),
    ("FI card f/u", False),
    ("veh associated w/ known gang mbr, need hist", False),
    ("Check on vehicle per the lieutenant's instruction.", False),
    ("Locate vehicle, see CAD incident 2611200145", False),
    ("Req from Hawthorne PD", True),
    ("Agency assist - plate query for their detective.", True),
    ("S/ veh", False),
    ("PC", False),
    ("Need to know if this car is in our city.", False),
    ("Car keeps showing up at the park at night, residents concerned, track it.", False),
    ("Possible drug activity.", False),
    ("Man loitering around the apartments on Grace Ave, find his car.", False),
    ("Supervisor wants a list of every car that passed City Hall yesterday.", False),
    ("Verify the alibi", False),
    ("Hit on hot sheet", False),
    ("Stolen", False),
    ("Cold case review, pulling plates for the file.", False),
    ("Checking my own car's reads to see if the camera works.", False),
    ("Pre-trial", False),
    ("bolo from LBPD", False),
    ("Vehicle tied to an earlier incident.", False),
    ("For the DA", False),
    ("LKA", False),
]
HELD_OUT_B_SPECIFIC: list[tuple[str, bool]] = [
    ("Ring cam shows two S/ stealing a Honda Grom motorcycle from a garage on E 216th St at "
     "0347 hrs 11/22, loaded into a wht Chevy Express. Need Express reads near 216th/Avalon.",
     False),
    ("Victim's house on W 233rd St was egged and a brick thrown through the front window on "
     "11/21 at 2240; the family saw a red Kia Rio leave. Identify the Rio from reads.", False),
    ("PC 487 - contractor's trailer with $20k of tools hooked up and towed from a job site on "
     "Torrance Blvd 11/20 btwn 1800-0600. ATL the trailer and the tow veh.", False),
    ("VC 10851 recovered stripped in Compton; need the vehicle's reads after it was taken from "
     "the Carson Mall lot at 1400 hrs on 11/19 to find who drove it there.", False),
    ("A man pulled a gun on two teenagers at the skate park on Dolores St on 11/21 around "
     "4:45 pm and drove away in a gray Chevy Equinox. Trace the Equinox after 4:45.", False),
    ("HS 11352 transport: K9 alert on a car at the 405/Avalon stop on 11/20; driver says he "
     "came straight from Anaheim. Verify his route with reads of his blk Honda on 11/20.",
     False),
    ("Vandals cut the fence and spray painted the pump station on Main St overnight 11/18; a "
     "silver Honda Fit was seen at 0230. Query Fit reads near Main between 0200 and 0300.",
     False),
    ("S/ used a stolen debit card at 3 ATMs along Avalon on 11/21 btwn 0100-0130, arrived "
     "each time in a blu Toyota Prius per bank video. Pull Prius reads on Avalon in that time.",
     False),
    ("Jewelry store on Carson St smash-and-grab 11/22 at 1105 hrs, 3 S/ fled in a wht Dodge "
     "Durango with no front plate. Establish the Durango's rear plate from reads.", False),
    ("Woman reports a man photographed her under her skirt at the Metro stop on 11/20 at 8 am "
     "(PC 647(j)) and left in a green Kia Soul; she got a partial plate 8L. Match it.", False),
    ("Two cars were stolen from the dealer lot on Avalon on 11/17 at 0300 using cloned key "
     "fobs; a gray Nissan Altima dropped off the thieves. Identify the Altima from reads.",
     False),
    ("DA filing review: need confirmation that the def's veh, a wht Lexus IS250, was at the "
     "victim's apartment on Bonita St the night of the 10/30 assault, 2000-2300 hrs.", False),
    ("Kidnap for ransom: V/ taken from his business on E Del Amo 11/21 @ 1900, family got a "
     "ransom call. S/ veh a blk Cadillac CTS. Locate the CTS ASAP via reads.", False),
    ("PC 597 - two dogs left to die in a locked car in the Costco lot on 11/19 afternoon, "
     "owner drove off before deps arrived in a red Ford Edge. Get the Edge's RO.", False),
    ("A school bus was rear-ended on Avalon at 220th at 0725 on 11/20 and the other driver "
     "fled on foot, leaving a car registered to someone else. Need reads of that car before "
     "the crash to identify the driver.", False),
    ("Suspects in a series of laundromat coin-box thefts on Main St (11/10, 11/14, 11/19) use "
     "a tan Chevy Astro. Corroborate that the Astro was near Main on each of those nights.",
     False),
    ("Arsonist set three dumpsters on fire behind the strip mall on Carson St btwn 0200 and "
     "0245 on 11/22; witness saw a maroon sedan. Check maroon sedan reads in that window.",
     False),
    ("211 PC follow-up: V/ robbed at the ATM on Avalon/Carson 11/18 2230 says S/ drove a blk "
     "Acura TL. Need reads on Avalon 2220-2245 to ID the TL.", False),
    ("Man threatened his ex-wife with a rifle at her home on W 225th St on 11/21 at 1830 and "
     "left in his gray Toyota Tundra; a no-contact order is in place. Locate the Tundra.",
     False),
    ("Deputies found a loaded ghost gun under the seat of an abandoned car on Dolores St 11/20; "
     "need to determine who drove the car there from reads on 11/19-11/20.", False),
    ("Inglewood PD Det. S. Park requests reads of 9ABC456 for 11/15 through 11/18 under IPD "
     "case 26-118822.", True),
    ("Redondo Beach PD asks for Carson reads of a black Toyota Camry, plate 8XYZ321, on "
     "11/12 from 1800 to 2359 hrs.", True),
    ("US Postal Inspector (via LASD task force) - mail theft crew robbed a letter carrier on "
     "E 213th St 11/20 at 1415 for her arrow key, fled in a wht Kia K5. ID the K5.", False),
    ("PC 245(a)(4) - S/ punched and kicked V/ unconscious outside the bar on Main/Carson "
     "11/22 approx 0155, left in a gry Mustang convertible. Need the Mustang's plate.",
     False),
    ("Burglars used a stolen U-Haul to empty a house on E 228th St on 11/21 between 9 am and "
     "3 pm while the family was at work. Pull the U-Haul's reads to find where they unloaded.",
     False),
]
