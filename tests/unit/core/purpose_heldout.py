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
