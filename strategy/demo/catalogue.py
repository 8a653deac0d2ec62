"""The Danish texts the demo municipality is built from: schools, people, goals and initiatives.

Everything here is fictional (apart from Herningvej Skole, which is reference data). The goal
catalogue follows the action-plan template of Fælles om Ledelse; each school picks from it, so
the texts are shared, while numbers, people, dates and status histories differ per school.
"""

from strategy.models import DataType

CLUSTERS = ["Klynge Nord", "Klynge Øst", "Klynge Syd", "Klynge Vest"]

HERNINGVEJ = "Herningvej Skole"

# name, slug (for e-mail addresses), cluster. Herningvej Skole comes from the seed loader.
SCHOOLS = [
    ("Fjordglimt Skole", "fjordglimt", "Klynge Nord"),
    ("Lyngholt Skole", "lyngholt", "Klynge Nord"),
    ("Strandengskolen", "strandeng", "Klynge Nord"),
    ("Østerhøj Skole", "oesterhoej", "Klynge Øst"),
    ("Bøgelund Skole", "boegelund", "Klynge Øst"),
    ("Kildemoseskolen", "kildemose", "Klynge Øst"),
    ("Ravnsbjerg Skole", "ravnsbjerg", "Klynge Øst"),
    ("Skovbrynets Skole", "skovbrynet", "Klynge Syd"),
    ("Højagerskolen", "hoejager", "Klynge Syd"),
    ("Lærkevangskolen", "laerkevang", "Klynge Syd"),
    ("Vestergårdsskolen", "vestergaard", "Klynge Vest"),
    ("Mølledalens Skole", "moelledal", "Klynge Vest"),
    ("Hedebo Skole", "hedebo", "Klynge Vest"),
]
HERNINGVEJ_CLUSTER = "Klynge Vest"

# Consultants' schools; the rest of the schools have no consultant assigned.
LEDELSESKONSULENT_SCHOOLS = [HERNINGVEJ, "Vestergårdsskolen", "Mølledalens Skole", "Fjordglimt Skole", "Østerhøj Skole"]
FAGKONSULENT_SCHOOLS = ["Lyngholt Skole", "Bøgelund Skole", "Kildemoseskolen", "Skovbrynets Skole", "Højagerskolen"]

# Nothing has happened in these strategies for more than 90 days.
STALE_SCHOOLS = ["Ravnsbjerg Skole", "Lærkevangskolen", "Kildemoseskolen"]
WATCHLISTED = "Ravnsbjerg Skole"
WATCHLIST_REASON = (
    "Strategien er ikke opdateret siden foråret, og der er ikke holdt 1:1-samtaler i dette "
    "skoleår. Læsemålet går den forkerte vej. Skolechefen tager kontakt til skolelederen og "
    "aftaler en opfølgning inden jul."
)

PASSWORD = "Maalpil-demo-2026"
DOMAIN = "demo.maalpil.dk"

# email local part, name, role, title, profile level key (school: Herningvej for leaders/readers)
CENTRAL_USERS = [
    ("admin", "Birgitte Søndergaard", "admin", "Systemadministrator", None),
    ("skolechef", "Henrik Damgaard", "directorate", "Skolechef", None),
    ("direktoer", "Charlotte Vinther", "directorate", "Direktør", None),
    ("konsulent", "Anders Holm", "consultant", "Ledelseskonsulent", None),
    ("fagkonsulent", "Sofie Lindberg", "consultant", "Fagkonsulent", None),
]
HERNINGVEJ_USERS = [
    ("skoleleder", "Lene Bach Thomsen", "leader", "Skoleleder", "leder-af-ledere"),
    ("afdelingsleder", "Mikkel Øster", "leader", "Afdelingsleder", "leder-af-medarbejdere"),
    ("laeser", "Camilla Riis", "reader", "Lærer", "medarbejder"),
]
# One skoleleder per other school, in the order of SCHOOLS.
SCHOOL_LEADERS = [
    "Jesper Kragh", "Marianne Østergaard", "Thomas Lauridsen", "Pernille Skov", "Rasmus Bech",
    "Hanne Kjeldsen", "Kim Ravn Jakobsen", "Louise Frandsen", "Søren Vestergaard", "Tina Mølgaard",
    "Morten Juul", "Anne-Mette Brix", "Peter Nørgaard",
]

# Staff names for "responsible" on initiatives at the employee level.
STAFF_FIRST = [
    "Mette", "Jonas", "Signe", "Kasper", "Helle", "Nikolaj", "Ida", "Frederik", "Maja", "Lars",
    "Trine", "Christian", "Line", "Mads", "Karina", "Jakob", "Rikke", "Emil", "Dorthe", "Simon",
]
STAFF_LAST = [
    "Kjær", "Mortensen", "Dahl", "Holm", "Lund", "Winther", "Bruun", "Krogh", "Sørensen", "Skou",
    "Nygaard", "Bertelsen", "Fisker", "Bundgaard", "Thygesen", "Hvid", "Mikkelsen", "Ravn",
]

# --- Goals (progressionsmål) with their indicator and initiatives ------------------------------
#
# baseline: (low, high) for the 2024 baseline; gain: the planned change to the 2027 target
# (negative when lower is better). political: keys of seeded PoliticalGoals.
# Initiatives: level = the municipal ProfileLevel key that owns it; local_level = Herningvej's
# own level (elever/foraeldre) used there instead; exp = words that pick the expectations it
# exercises from the owner level's profile; role = who is responsible at employee level.

GOALS = {
    "reading": {
        "title": "Flere elever er sikre læsere ved udgangen af 2. klasse",
        "description": (
            "Læsning er nøglen til al anden læring. Vi vil have flere elever, der læser sikkert, "
            "før de forlader indskolingen, og vi vil opdage de elever, der har brug for hjælp, "
            "langt tidligere end i dag."
        ),
        "indicator": "Andel elever i 2. klasse, der er sikre læsere i ordlæsningsprøven",
        "data_type": DataType.RESULT,
        "unit": "%",
        "baseline": (62, 74),
        "gain": 12,
        "decimals": 0,
        "political": ["dygtigere-hver-dag", "skolepolitiske-maal"],
        "initiatives": [
            {
                "title": "Læsebånd hver morgen i indskolingen",
                "starting_point": "Læsetiden i indskolingen er spredt ud over ugen og bliver ofte aflyst, når der er vikarer.",
                "what_we_try": "20 minutters fast læsebånd hver morgen i 0.-3. klasse, med bøger på elevernes eget niveau.",
                "who_does_what": "Dansklærerne planlægger bogkasserne; læsevejlederen støtter opstarten i august; afdelingslederen følger op på teammøderne hver 6. uge.",
                "success_signs": "Eleverne finder selv deres bog og kommer hurtigt i gang. Flere elever læser hjemme, og læselogbøgerne udfyldes.",
                "evaluation_plan": "Ordlæsningsprøven i maj sammenholdes med sidste år; teamene evaluerer kort på teammødet i januar.",
                "level": "medarbejder",
                "local_level": "elever",
                "exp": ["læringsforløb", "egen læring", "ambitiøst"],
                "role": "læsevejleder",
            },
            {
                "title": "Intensive læseforløb for elever i risiko",
                "starting_point": "Vi opdager først elever med læsevanskeligheder sent i 2. klasse, og indsatsen kommer for sent.",
                "what_we_try": "Screening i 0. klasse og intensive forløb på 10 uger med daglig læsning i små grupper.",
                "who_does_what": "Læsevejlederen screener i oktober; to lærere med læsefaglig profil har grupperne; forældrene orienteres ved opstart.",
                "success_signs": "Eleverne i forløbene rykker mindst et niveau, og de fortæller selv, at de er blevet bedre til at læse.",
                "evaluation_plan": "Før- og eftertest i hvert forløb; samlet opgørelse til ledelsen efter hvert forløb.",
                "level": "leder-af-medarbejdere",
                "exp": ["data", "feedback", "indsigt"],
                "role": "læsevejleder",
            },
            {
                "title": "Forældre som læsemakkere",
                "starting_point": "Mange forældre vil gerne hjælpe, men ved ikke hvordan, og hjemmelæsningen er svingende.",
                "what_we_try": "En kort introduktion for forældre i 0. og 1. klasse og en fast hjemmelæsningsaftale på ugeplanen.",
                "who_does_what": "Klasselærerne holder introduktionen på forældremødet i september; læsevejlederen laver materialet.",
                "success_signs": "Flere forældre svarer, at de læser med deres barn mindst fire gange om ugen.",
                "evaluation_plan": "Kort spørgeskema til forældrene i marts og drøftelse i skolebestyrelsen.",
                "level": "medarbejder",
                "local_level": "foraeldre",
                "exp": ["forældre", "MinUddannelse", "ugeplan", "involverer"],
                "role": "klasselærer",
            },
            {
                "title": "Læsevejleder i co-teaching i 1. klasse",
                "starting_point": "Vejledningen sker i dag mest på møder, og den når sjældent ud i klasserummet.",
                "what_we_try": "Læsevejlederen underviser sammen med dansklæreren to lektioner om ugen i hver 1. klasse.",
                "who_does_what": "Læsevejlederen og dansklærerne planlægger sammen; afdelingslederen afsætter tiden i skemaet.",
                "success_signs": "Dansklærerne bruger selv de nye greb, også når vejlederen ikke er der.",
                "evaluation_plan": "Observation i klasserne i november og april; drøftelse i ledelsesteamet.",
                "level": "leder-af-medarbejdere",
                "exp": ["sparring", "tæt nok på", "vejledning"],
                "role": "læsevejleder",
            },
        ],
    },
    "math": {
        "title": "Løft i matematik på mellemtrinnet",
        "description": (
            "Matematikresultaterne på mellemtrinnet ligger under kommunens gennemsnit. Vi vil "
            "løfte alle elever, også de dygtigste, gennem mere problemløsning og tættere "
            "opfølgning på data."
        ),
        "indicator": "Andel elever i 6. klasse med mindst 'god præstation' i den nationale test i matematik",
        "data_type": DataType.RESULT,
        "unit": "%",
        "baseline": (45, 58),
        "gain": 10,
        "decimals": 0,
        "political": ["dygtigere-hver-dag"],
        "initiatives": [
            {
                "title": "Matematikvejleder i co-teaching på 4.-6. årgang",
                "starting_point": "Matematiklærerne efterspørger sparring, men vejlederen har kun tid til møder.",
                "what_we_try": "Matematikvejlederen underviser sammen med faglæreren i forløb på fire uger.",
                "who_does_what": "Vejlederen planlægger forløbene med teamet; afdelingslederen prioriterer tiden i skemaet.",
                "success_signs": "Lærerne bruger flere åbne opgaver, og eleverne forklarer deres løsninger for hinanden.",
                "evaluation_plan": "Forløbstest før og efter; teamet evaluerer på datamødet efter hvert forløb.",
                "level": "medarbejder",
                "exp": ["vejledere", "samarbejder", "feedback"],
                "role": "matematikvejleder",
            },
            {
                "title": "Problemløsende matematik med konkrete materialer",
                "starting_point": "Undervisningen er præget af færdighedsregning i bogsystemet.",
                "what_we_try": "Et ugentligt modul med problemløsning og konkrete materialer i alle klasser på mellemtrinnet.",
                "who_does_what": "Matematikteamet udvikler seks forløb; skolen indkøber materialer; lærerne deler erfaringer på teammøderne.",
                "success_signs": "Eleverne vælger selv strategier og tør prøve sig frem; færre elever giver op.",
                "evaluation_plan": "Elevinterview i to klasser og nationale test i foråret.",
                "level": "medarbejder",
                "exp": ["eksperimenterer", "læringsmiljø", "ny faglig"],
                "role": "matematiklærer",
                "political": ["eksperimenterende-laering"],
            },
            {
                "title": "Datamøder i matematikteamet hver 6. uge",
                "starting_point": "Testresultaterne bliver læst, men sjældent brugt til at ændre undervisningen.",
                "what_we_try": "Faste datamøder med en skabelon: hvad ser vi, hvad betyder det, hvad gør vi nu.",
                "who_does_what": "Afdelingslederen leder møderne; matematikvejlederen forbereder data; teamet aftaler næste skridt.",
                "success_signs": "Teamene kan pege på konkrete ændringer i undervisningen, der bygger på data.",
                "evaluation_plan": "Referaterne gennemgås i ledelsesteamet ved skoleårets afslutning.",
                "level": "leder-af-medarbejdere",
                "exp": ["data", "teams", "feedback"],
                "role": "matematikvejleder",
            },
        ],
    },
    "wellbeing": {
        "title": "Alle elever har en ven i skolen",
        "description": (
            "Trivslen er forudsætningen for læring. Vi vil styrke fællesskaberne i klasserne og "
            "på tværs af årgange, så ingen elever står alene i frikvartererne."
        ),
        "indicator": "Andel elever i 4.-9. klasse, der ofte eller altid føler sig som en del af fællesskabet (national trivselsmåling)",
        "data_type": DataType.PERCEPTION,
        "unit": "%",
        "baseline": (78, 86),
        "gain": 7,
        "decimals": 1,
        "political": ["en-ven-i-skolen", "boerne-og-ungepolitik"],
        "initiatives": [
            {
                "title": "Legepatruljer og organiserede frikvarterer",
                "starting_point": "Flere elever i indskolingen fortæller, at de ikke har nogen at lege med i frikvarteret.",
                "what_we_try": "Elever fra 5. klasse uddannes som legepatrulje og står for lege tre dage om ugen.",
                "who_does_what": "Pædagogerne uddanner patruljen; gårdvagterne støtter; AKT-vejlederen følger op med klasserne.",
                "success_signs": "Færre elever står alene, og der er færre konflikter efter frikvarteret.",
                "evaluation_plan": "Observation i gården to gange om året og trivselsmålingen i februar.",
                "level": "medarbejder",
                "local_level": "elever",
                "exp": ["fællesskab", "venner", "fysisk aktiv", "set og hørt"],
                "role": "pædagog",
            },
            {
                "title": "Klassetrivselsmøder hver måned",
                "starting_point": "Trivslen drøftes først, når der er en konflikt.",
                "what_we_try": "Et fast klassemøde hver måned efter en fælles model, hvor eleverne selv sætter punkter på.",
                "who_does_what": "Klasselæreren leder møderne; AKT-vejlederen introducerer modellen for teamene.",
                "success_signs": "Eleverne tager selv ansvar for at løse små konflikter, og klassemøderne bliver holdt.",
                "evaluation_plan": "Kort elevevaluering i december og juni; drøftelse i årgangsteamet.",
                "level": "medarbejder",
                "exp": ["set og hørt", "demokrati", "trives"],
                "role": "AKT-vejleder",
            },
            {
                "title": "Venskabsklasser på tværs af årgange",
                "starting_point": "Eleverne kender kun elever fra egen klasse, og de store og små mødes sjældent.",
                "what_we_try": "Hver klasse får en venskabsklasse og mødes fire gange om året om læsning, leg og fælles projekter.",
                "who_does_what": "Klasselærerne aftaler datoerne i august; afdelingslederen sørger for plads i årsplanen.",
                "success_signs": "Eleverne hilser på hinanden på tværs af årgange, og de små føler sig trygge i skolegården.",
                "evaluation_plan": "Elevrådet evaluerer i maj; trivselsmålingen følges.",
                "level": "leder-af-medarbejdere",
                "exp": ["rammer", "arbejdsglæde", "tillidsfulde"],
                "role": "klasselærer",
            },
            {
                "title": "Trivselsambassadører i udskolingen",
                "starting_point": "Udskolingen har de laveste trivselstal, og eleverne efterspørger mere indflydelse.",
                "what_we_try": "To trivselsambassadører pr. klasse, som sammen med en voksen planlægger fællesaktiviteter.",
                "who_does_what": "Skolepædagogen koordinerer; elevrådet vælger ambassadørerne; ledelsen afsætter et lille budget.",
                "success_signs": "Flere elever deltager i fællesaktiviteter, og færre melder sig ud af fællesskabet.",
                "evaluation_plan": "Ambassadørerne evaluerer selv med elevrådet i marts; trivselsmålingen følges.",
                "level": "medarbejder",
                "local_level": "elever",
                "exp": ["fællesskab", "demokratisk", "tryghed", "medborgerskab"],
                "role": "skolepædagog",
            },
        ],
    },
    "inclusion": {
        "title": "Flere elever er en del af almenundervisningen",
        "description": (
            "Vi vil skabe læringsmiljøer, hvor flere elever med særlige behov kan deltage i "
            "fællesskabet i almenklassen, og hvor støtten kommer til eleven i stedet for omvendt."
        ),
        "indicator": "Antal elever, der henvises til et specialtilbud i løbet af skoleåret",
        "data_type": DataType.DEMOGRAPHIC,
        "unit": "elever",
        "baseline": (9, 16),
        "gain": -5,
        "decimals": 0,
        "political": ["mod-paa-verden", "boerne-og-ungepolitik"],
        "initiatives": [
            {
                "title": "Co-teaching mellem lærer og pædagog",
                "starting_point": "Støttetimerne bruges ofte uden for klassen, og eleverne mister forbindelsen til fællesskabet.",
                "what_we_try": "Lærer og pædagog planlægger og underviser sammen i de klasser, hvor behovet er størst.",
                "who_does_what": "Afdelingslederen udpeger klasserne; inklusionsvejlederen vejleder makkerparrene; teamet evaluerer.",
                "success_signs": "Flere elever deltager hele lektionen, og der er færre udgange fra klassen.",
                "evaluation_plan": "Registrering af udgange før og efter; evaluering på ressourcemødet i marts.",
                "level": "leder-af-medarbejdere",
                "exp": ["teams", "rammer", "sparring"],
                "role": "inklusionsvejleder",
            },
            {
                "title": "Tværprofessionelle ressourcemøder hver måned",
                "starting_point": "Sager om elever med særlige behov bliver behandlet sent og i mange forskellige fora.",
                "what_we_try": "Et fast månedligt ressourcemøde med PPR, sundhedsplejerske, skolesocialrådgiver og lærere.",
                "who_does_what": "Skolelederen er mødeleder; inklusionsvejlederen forbereder sagerne; teamet deltager i egne sager.",
                "success_signs": "Sagerne bliver løst tidligere, og teamene oplever at få konkret hjælp.",
                "evaluation_plan": "Opgørelse af sager og henvisninger ved skoleårets afslutning.",
                "level": "leder-af-ledere",
                "exp": ["tværgående", "rette viden", "forvaltningen"],
                "role": "inklusionsvejleder",
            },
            {
                "title": "Fleksible læringsmiljøer og holddeling",
                "starting_point": "Undervisningen er tilrettelagt til den samlede klasse, og nogle elever falder fra.",
                "what_we_try": "Holddeling på tværs af årgangen to gange om ugen og et roligt læringsmiljø i tilknytning til klasserne.",
                "who_does_what": "Årgangsteamene planlægger holdene; ledelsen indretter lokalerne; inklusionsvejlederen støtter.",
                "success_signs": "Eleverne oplever at lykkes fagligt, og færre elever har brug for at forlade klassen.",
                "evaluation_plan": "Elevinterview og teamenes egen evaluering efter hver periode.",
                "level": "medarbejder",
                "exp": ["ressourcer", "læringspotentialer", "læringsmiljø"],
                "role": "inklusionsvejleder",
            },
        ],
    },
    "steam": {
        "title": "Mere eksperimenterende og problemløsende undervisning",
        "description": (
            "Eleverne skal opleve, at læring handler om at undersøge, bygge og løse virkelige "
            "problemer. Vi vil have flere forløb, hvor fagene arbejder sammen om åbne opgaver."
        ),
        "indicator": "Andel undervisningsforløb med åbne, undersøgende opgaver i teamenes årsplaner",
        "data_type": DataType.PROCESS,
        "unit": "%",
        "baseline": (15, 28),
        "gain": 25,
        "decimals": 0,
        "political": ["eksperimenterende-laering", "dygtigere-hver-dag"],
        "initiatives": [
            {
                "title": "Makerspace i naturfagsfløjen",
                "starting_point": "Skolen har udstyr til teknologi og design, men det står mest i et skab.",
                "what_we_try": "Et bemandet makerspace, som alle klasser kan booke, og som bruges i mindst ét forløb pr. årgang.",
                "who_does_what": "Naturfagsteamet indretter og bemander; IT-vejlederen laver forløbsbank; ledelsen finansierer udstyret.",
                "success_signs": "Rummet er booket flere gange om ugen, og eleverne fremlægger prototyper.",
                "evaluation_plan": "Bookingoversigt og elevprodukter gennemgås i juni.",
                "level": "medarbejder",
                "exp": ["eksperimenterer", "tværfaglig", "ny praksis"],
                "role": "naturfagslærer",
            },
            {
                "title": "Tværfaglige STEAM-uger to gange om året",
                "starting_point": "Fagene arbejder hver for sig, og tværfaglige forløb afhænger af enkelte ildsjæle.",
                "what_we_try": "To emneuger om året, hvor årgangene arbejder med et virkeligt problem fra lokalsamfundet.",
                "who_does_what": "En planlægningsgruppe med en lærer fra hver afdeling; afdelingslederne sikrer rammerne.",
                "success_signs": "Alle årgange deltager, og eleverne kan forklare, hvordan fagene hang sammen.",
                "evaluation_plan": "Kort evaluering med elever og lærere efter hver uge.",
                "level": "leder-af-medarbejdere",
                "exp": ["inddrager", "rammer", "medledelse"],
                "role": "naturfagslærer",
            },
            {
                "title": "Samarbejde med lokale virksomheder om virkelighedsnære opgaver",
                "starting_point": "Udskolingens elever efterspørger mening og sammenhæng med verden uden for skolen.",
                "what_we_try": "Tre virksomheder stiller hver en opgave, som 8. årgang løser og præsenterer for virksomheden.",
                "who_does_what": "Skolelederen indgår aftalerne; 8. årgangs team tilrettelægger forløbene.",
                "success_signs": "Eleverne arbejder engageret, og virksomhederne vil gerne fortsætte samarbejdet.",
                "evaluation_plan": "Evaluering med virksomhederne og eleverne efter hvert forløb.",
                "level": "leder-af-ledere",
                "exp": ["lokalsamfund", "tværgående", "omverdenen"],
                "role": "udskolingslærer",
                "political": ["mod-paa-verden"],
            },
            {
                "title": "Teknologiforståelse på 4.-6. årgang",
                "starting_point": "Lærerne er usikre på at undervise i teknologiforståelse.",
                "what_we_try": "Et kompetenceforløb for lærerne og tre fælles forløb med programmering og digital design.",
                "who_does_what": "IT-vejlederen afholder kompetenceforløbet; teamene gennemfører forløbene.",
                "success_signs": "Lærerne gennemfører forløbene selv, og eleverne bruger det i andre fag.",
                "evaluation_plan": "Spørgeskema til lærerne før og efter kompetenceforløbet.",
                "level": "medarbejder",
                "exp": ["teknisk viden", "ny faglig", "deler og modtager"],
                "role": "IT-vejleder",
            },
        ],
    },
    "absence": {
        "title": "Lavere elevfravær",
        "description": (
            "Fraværet er steget siden 2022, og flere elever har bekymrende fravær. Vi vil opdage "
            "fraværet tidligere og samarbejde med familierne om at få eleverne i skole."
        ),
        "indicator": "Gennemsnitligt elevfravær i procent af skoledagene",
        "data_type": DataType.DEMOGRAPHIC,
        "unit": "%",
        "baseline": (6.8, 9.2),
        "gain": -2.0,
        "decimals": 1,
        "political": ["mod-paa-verden", "boerne-og-ungepolitik"],
        "initiatives": [
            {
                "title": "Tidlig opfølgning ved 5 % fravær",
                "starting_point": "Vi reagerer først, når fraværet er over 10 %, og så er det svært at vende.",
                "what_we_try": "Klasselæreren kontakter hjemmet ved 5 % fravær; ved 8 % holdes et møde med ledelsen.",
                "who_does_what": "Kontoret trækker fraværslister hver fjerde uge; klasselærerne kontakter hjemmene; afdelingslederen holder møderne.",
                "success_signs": "Flere forældre tager selv kontakt, og færre elever når over 10 % fravær.",
                "evaluation_plan": "Fraværsdata følges hver fjerde uge; samlet opgørelse ved skoleårets afslutning.",
                "level": "leder-af-medarbejdere",
                "exp": ["data", "systematisk", "tillidsfulde"],
                "role": "klasselærer",
            },
            {
                "title": "Fraværsteam med skolesocialrådgiver",
                "starting_point": "Elever med langvarigt fravær har ofte komplekse udfordringer, som skolen ikke kan løse alene.",
                "what_we_try": "Et fast fraværsteam, som laver en plan sammen med familien for hver elev med over 15 % fravær.",
                "who_does_what": "Skolesocialrådgiveren leder teamet; skolelederen sikrer samarbejdet med familieafdelingen.",
                "success_signs": "Alle elever med højt fravær har en plan, og flere kommer gradvist tilbage.",
                "evaluation_plan": "Opfølgning på planerne hver anden måned.",
                "level": "leder-af-ledere",
                "exp": ["tværgående", "forvaltningen", "rette viden"],
                "role": "skolesocialrådgiver",
            },
            {
                "title": "God start på dagen",
                "starting_point": "Mange fraværsdage starter med en svær morgen; nogle elever kommer uden morgenmad.",
                "what_we_try": "Åben morgenmad fra kl. 7.30 og en rolig, fælles start i klassen de første 15 minutter.",
                "who_does_what": "Pædagogerne står for morgenmaden; klasselærerne tager imod eleverne.",
                "success_signs": "Færre elever kommer for sent, og morgenerne er roligere.",
                "evaluation_plan": "Registrering af for sent fremmøde; kort elevevaluering.",
                "level": "medarbejder",
                "local_level": "foraeldre",
                "exp": ["set og hørt", "udhvilet", "mad og drikke", "nærværende"],
                "role": "pædagog",
            },
        ],
    },
    "parents": {
        "title": "Stærkere forældresamarbejde om læring",
        "description": (
            "Forældrene er vores vigtigste samarbejdspartnere. Vi vil have forældresamarbejdet til "
            "at handle mere om elevernes læring og mindre om praktiske beskeder."
        ),
        "indicator": "Andel forældre, der oplever en god dialog med skolen om deres barns læring (forældreundersøgelsen)",
        "data_type": DataType.PERCEPTION,
        "unit": "%",
        "baseline": (64, 75),
        "gain": 10,
        "decimals": 0,
        "political": ["dygtigere-hver-dag", "boerne-og-ungepolitik"],
        "initiatives": [
            {
                "title": "Læringssamtaler med elev, forælder og lærer",
                "starting_point": "Skole-hjem-samtalerne handler mest om trivsel og adfærd, ikke om læringsmålene.",
                "what_we_try": "Eleven leder selv en del af samtalen ud fra sine læringsmål i MinUddannelse.",
                "who_does_what": "Klasselærerne forbereder eleverne; afdelingslederen laver en fælles samtaleguide.",
                "success_signs": "Forældrene kender deres barns mål, og eleverne kan forklare, hvad de arbejder på.",
                "evaluation_plan": "Kort forældreevaluering efter samtalerne og drøftelse i skolebestyrelsen.",
                "level": "medarbejder",
                "local_level": "foraeldre",
                "exp": ["forældre", "MinUddannelse", "samarbejde", "følger barnets"],
                "role": "klasselærer",
            },
            {
                "title": "Forældreråd på alle årgange",
                "starting_point": "Det er de samme få forældre, der deltager, og mange føler sig ikke inviteret ind.",
                "what_we_try": "Et forældreråd pr. årgang, der sammen med teamet planlægger to fællesarrangementer om året.",
                "who_does_what": "Klasselærerne inviterer; skolebestyrelsen støtter med en fælles ramme.",
                "success_signs": "Flere forældre deltager i arrangementerne, og der kommer nye ansigter.",
                "evaluation_plan": "Deltagelse registreres; forældrerådene evaluerer i maj.",
                "level": "leder-af-ledere",
                "local_level": "foraeldre",
                "exp": ["deltager", "sociale arrangementer", "fællesskab", "lokalsamfund"],
                "role": "klasselærer",
            },
            {
                "title": "Fælles forældremøder om læring",
                "starting_point": "Forældremøderne bruges på praktiske beskeder.",
                "what_we_try": "Første forældremøde hvert år handler om, hvordan klassen arbejder med læring, og hvad forældre kan gøre.",
                "who_does_what": "Teamene planlægger møderne ud fra en fælles skabelon; ledelsen deltager på udvalgte møder.",
                "success_signs": "Forældrene stiller spørgsmål om læring, og flere følger op derhjemme.",
                "evaluation_plan": "Forældreundersøgelsen og teamenes egen evaluering.",
                "level": "leder-af-medarbejdere",
                "exp": ["kommunikerer", "tillidsfulde", "inddrager"],
                "role": "klasselærer",
            },
        ],
    },
    "plf": {
        "title": "Professionelle læringsfællesskaber i alle team",
        "description": (
            "Vi vil være en skole, hvor alle ansatte arbejder systematisk med viden om egen praksis. "
            "Teamene skal bruge data og kollegial sparring til at udvikle undervisningen."
        ),
        "indicator": "Andel team, der gennemfører mindst fire datamøder om året",
        "data_type": DataType.PROCESS,
        "unit": "%",
        "baseline": (30, 50),
        "gain": 45,
        "decimals": 0,
        "political": ["vidensproduktion"],
        "initiatives": [
            {
                "title": "Datamøder med fast struktur",
                "starting_point": "Teamene bruger mødetiden på praktiske opgaver; data drøftes sjældent.",
                "what_we_try": "Fire datamøder om året i alle team efter samme skabelon og med en leder til stede.",
                "who_does_what": "Afdelingslederne leder møderne; vejlederne forbereder data; teamene følger op på aftalerne.",
                "success_signs": "Teamene træffer beslutninger på baggrund af data og følger op på dem.",
                "evaluation_plan": "Ledelsen gennemgår mødereferater i januar og juni.",
                "level": "leder-af-medarbejdere",
                "exp": ["data", "teams", "systematisk"],
                "role": "afdelingsleder",
            },
            {
                "title": "Kollegial observation og feedback",
                "starting_point": "Lærerne ser sjældent hinandens undervisning og efterspørger sparring.",
                "what_we_try": "Makkerpar observerer hinanden tre gange om året med et fælles fokus og giver feedback efter feedbackmodellen.",
                "who_does_what": "Teamene danner makkerpar; ledelsen frigiver tid; vejlederne introducerer feedbackmodellen.",
                "success_signs": "Lærerne efterspørger selv observation, og feedbacken bliver mere konkret.",
                "evaluation_plan": "Kort spørgeskema til lærerne og drøftelse på personalemøde i juni.",
                "level": "medarbejder",
                "exp": ["feedback", "deler og modtager", "udvikler egen praksis"],
                "role": "pædagogisk leder",
            },
            {
                "title": "Ledelse tæt på praksis",
                "starting_point": "Ledelsen er for sjældent i klasserne og kender ikke praksis godt nok til at give feedback, der virker.",
                "what_we_try": "Hver leder er i klasserne to timer om ugen og giver feedback samme dag.",
                "who_does_what": "Skolelederen laver en fælles plan for ledelsesteamet; ledelsesteamet drøfter iagttagelserne hver anden uge.",
                "success_signs": "Medarbejderne oplever feedbacken som brugbar, og ledelsen kan beskrive praksis konkret.",
                "evaluation_plan": "Ledelsesteamet evaluerer på GRUS og ved skoleårets afslutning.",
                "level": "leder-af-ledere",
                "exp": ["ledelsesteamet", "tæt nok på", "sparring"],
                "role": "skoleleder",
            },
            {
                "title": "Aktionslæring i årgangsteamene",
                "starting_point": "Nye metoder bliver indført, men vi ved ikke, om de virker.",
                "what_we_try": "Hvert team gennemfører et aktionslæringsforløb om året med en undersøgelse af egen praksis.",
                "who_does_what": "Vejlederne faciliterer; teamene vælger selv fokus; ledelsen godkender planerne.",
                "success_signs": "Teamene kan fremlægge, hvad de har lært, og hvad de ændrer.",
                "evaluation_plan": "Fremlæggelse på pædagogisk dag i juni.",
                "level": "medarbejder",
                "exp": ["eksperimenterer", "undersøger", "udvikler egen praksis"],
                "role": "vejleder",
            },
        ],
    },
    "movement": {
        "title": "Bevægelse i hele skoledagen",
        "description": (
            "Eleverne lærer bedre og trives bedre, når de bevæger sig. Vi vil sikre, at alle "
            "elever er fysisk aktive i gennemsnitligt 45 minutter om dagen."
        ),
        "indicator": "Gennemsnitligt antal minutters bevægelse pr. skoledag (klassernes logbog)",
        "data_type": DataType.PROCESS,
        "unit": "minutter",
        "baseline": (22, 32),
        "gain": 15,
        "decimals": 0,
        "political": ["en-ven-i-skolen", "dygtigere-hver-dag"],
        "initiatives": [
            {
                "title": "Bevægelsesbånd efter frokost",
                "starting_point": "Bevægelsen i skoledagen afhænger af den enkelte lærer.",
                "what_we_try": "Et dagligt bevægelsesbånd på 15 minutter efter frokostpausen.",
                "who_does_what": "Idrætslærerne laver en aktivitetsbank; klassens voksne gennemfører båndet.",
                "success_signs": "Båndet bliver gennemført, og eleverne er mere koncentrerede efter pausen.",
                "evaluation_plan": "Logbog i klasserne og kort elevevaluering.",
                "level": "medarbejder",
                "local_level": "elever",
                "exp": ["fysisk aktiv", "læringsmiljø", "bedste effekt"],
                "role": "idrætslærer",
            },
            {
                "title": "Bevægelse i fagundervisningen",
                "starting_point": "Lærerne ønsker at bruge bevægelse i fagene, men mangler idéer.",
                "what_we_try": "Hvert team afprøver tre bevægelsesaktiviteter i dansk og matematik og deler dem i en fælles bank.",
                "who_does_what": "Idrætsvejlederen holder en workshop; teamene afprøver og deler.",
                "success_signs": "Banken vokser, og flere lærere bruger aktiviteterne.",
                "evaluation_plan": "Optælling af delte aktiviteter og logbøger.",
                "level": "medarbejder",
                "exp": ["deler og modtager", "eksperimenterer"],
                "role": "idrætsvejleder",
            },
            {
                "title": "Aktive frikvarterer",
                "starting_point": "Mange elever sidder stille i frikvartererne, særligt på mellemtrinnet.",
                "what_we_try": "Nye zoner i skolegården og udlån af boldudstyr.",
                "who_does_what": "Elevrådet er med til at indrette zonerne; ledelsen finansierer; pedellen sørger for udstyr.",
                "success_signs": "Flere elever er aktive i frikvarteret.",
                "evaluation_plan": "Observation i skolegården i september og maj.",
                "level": "leder-af-ledere",
                "local_level": "elever",
                "exp": ["fysisk aktiv", "vilkår", "ressourcer"],
                "role": "pedel",
            },
        ],
    },
    "student_voice": {
        "title": "Elevernes stemme i undervisningen",
        "description": (
            "Eleverne skal have mod på at deltage i verden. Det begynder med, at de bliver hørt "
            "og inddraget i deres egen skoledag."
        ),
        "indicator": "Andel elever, der oplever at være med til at bestemme, hvad de skal arbejde med (trivselsmålingen)",
        "data_type": DataType.PERCEPTION,
        "unit": "%",
        "baseline": (32, 42),
        "gain": 15,
        "decimals": 0,
        "political": ["mod-paa-verden"],
        "initiatives": [
            {
                "title": "Elevfeedback efter hvert forløb",
                "starting_point": "Eleverne bliver sjældent spurgt om deres oplevelse af undervisningen.",
                "what_we_try": "Tre spørgsmål til eleverne efter hvert forløb, som teamet bruger i næste planlægning.",
                "who_does_what": "Lærerne indsamler; teamene drøfter svarene; ledelsen følger op i teamsamtalerne.",
                "success_signs": "Eleverne oplever, at deres svar gør en forskel.",
                "evaluation_plan": "Trivselsmålingen og teamenes egen opsamling.",
                "level": "medarbejder",
                "exp": ["feedback", "set og hørt", "demokrati"],
                "role": "klasselærer",
            },
            {
                "title": "Elevråd med eget budget",
                "starting_point": "Elevrådet drøfter mest praktiske klager.",
                "what_we_try": "Elevrådet får et budget og ansvar for et projekt om året.",
                "who_does_what": "Skolelederen mødes med elevrådet hver måned; en lærer er tovholder.",
                "success_signs": "Projektet bliver gennemført, og flere elever vil stille op til elevrådet.",
                "evaluation_plan": "Elevrådet evaluerer selv ved skoleårets afslutning.",
                "level": "leder-af-ledere",
                "local_level": "elever",
                "exp": ["demokrati", "medborgerskab", "rollemodel"],
                "role": "tovholder for elevrådet",
            },
        ],
    },
}

# The goals each school works with (Herningvej has its own, richer plan).
HERNINGVEJ_GOALS = ["reading", "wellbeing", "steam", "parents", "plf"]

# Herningvej's strategy in the seeded period 2021-2023: done or stopped, ready to carry over.
HERNINGVEJ_2021 = [
    {
        "title": "Flere elever er sikre læsere ved udgangen af 2. klasse",
        "description": "Første periode med et fælles læsemål for indskolingen.",
        "indicator": "Andel elever i 2. klasse, der er sikre læsere i ordlæsningsprøven",
        "data_type": DataType.RESULT, "unit": "%", "values": (61, 64, 66), "target": 75,
        "political": ["dygtigere-hver-dag"],
        "initiatives": [
            ("Læsekurser for forældre i 0. klasse", "completed", "Gennemført i 2022 og 2023. Fortsætter i ny form under forældresamarbejdet."),
            ("Ny læsebog til indskolingen", "completed", "Indkøbt og taget i brug på alle årgange."),
            ("Læsevenner fra 6. klasse", "stopped", "Stoppet: det var ikke muligt at få skemaerne til at passe sammen."),
        ],
    },
    {
        "title": "Bevægelse i hele skoledagen",
        "description": "Eleverne skal være fysisk aktive mindst 45 minutter om dagen.",
        "indicator": "Gennemsnitligt antal minutters bevægelse pr. skoledag",
        "data_type": DataType.PROCESS, "unit": "minutter", "values": (24, 31, 38), "target": 45,
        "political": ["en-ven-i-skolen"],
        "initiatives": [
            ("Bevægelsesbånd efter frokost", "completed", "Nu en fast del af skoledagen."),
            ("Løbeklub før skoletid", "stopped", "Stoppet efter et år: for få deltagere."),
        ],
    },
    {
        "title": "Digital dannelse på mellemtrinnet",
        "description": "Eleverne skal kunne færdes sikkert og kritisk på nettet.",
        "indicator": "Andel elever, der har gennemført forløbet om digital dannelse",
        "data_type": DataType.PROCESS, "unit": "%", "values": (35, 70, 100), "target": 100,
        "political": ["mod-paa-verden"],
        "initiatives": [
            ("Forløb om digital dannelse på 4.-6. årgang", "completed", "Alle klasser har gennemført forløbet."),
            ("Forældreaftener om skærmtid", "completed", "Tre aftener med god deltagelse."),
        ],
    },
]

# --- Status histories, evaluations, comments ---------------------------------------------------

STATUS_COMMENTS = {
    "not_started": [
        "Tiltaget er planlagt, men opstarten er rykket til efter næste planlægningsdag.",
        "Afventer, at den nye vejleder er på plads.",
        "Beskrevet i teamet; opstarten er fastlagt i årsplanen.",
        "Ressourcerne er endnu ikke fordelt. Tages op på næste ledermøde.",
    ],
    "in_progress": [
        "Sat i gang på alle årgange i indskolingen. Teamene har lagt det ind i årsplanen.",
        "Første forløb er gennemført; vi samler erfaringerne på næste teammøde.",
        "I gang i to ud af tre spor. Det sidste spor starter efter efterårsferien.",
        "Medarbejderne har været på kursus og er i gang med at afprøve i praksis.",
        "Godt i gang. Vi mangler stadig at få forældrene ordentligt med.",
        "Materialerne er indkøbt, og de første klasser er i gang.",
    ],
    "on_track": [
        "Seneste måling viser fremgang, og teamene melder om god energi.",
        "Kører efter planen. Eleverne tager godt imod det.",
        "Alle team har gennemført de aftalte aktiviteter i perioden.",
        "Observationer i klasserne viser, at praksis er ved at sætte sig.",
        "På rette spor. Vi fastholder og deler erfaringerne på næste personalemøde.",
    ],
    "challenged": [
        "Sygdom i teamet har betydet, at flere forløb er aflyst. Vi skal have lagt en ny plan.",
        "Vikardækning har presset tiden, så tiltaget er kun delvist gennemført.",
        "Data viser ikke den forventede fremgang. Vi tager det op på næste datamøde.",
        "Medarbejderne oplever tiltaget som endnu en opgave. Vi skal skabe mere mening.",
        "Skemaet gør det svært at finde fælles tid til teamsamarbejdet.",
    ],
    "completed": [
        "Gennemført og evalueret. Praksis er nu en fast del af årsplanen.",
        "Afsluttet efter planen. Erfaringerne er samlet i en kort drejebog til de andre team.",
        "Gennemført – målet for tiltaget er nået.",
    ],
    "stopped": [
        "Stoppet efter evalueringen: tiltaget gav ikke den ønskede effekt i forhold til indsatsen.",
        "Vi stopper tiltaget og samler kræfterne om de andre tiltag under målet.",
        "Stoppet, da den eksterne finansiering er bortfaldet.",
    ],
}

EVALUATIONS = {
    "continue": [
        {
            "what_was_done": "Tiltaget er gennemført som planlagt i alle klasser i perioden.",
            "signs_observed": "Eleverne kender rutinerne, og lærerne melder, at det giver ro og bedre fokus.",
            "data_used": "Seneste måling af indikatoren, observationer i tre klasser og teamenes logbøger.",
            "next_steps": "Vi fortsætter uændret og deler erfaringerne med klyngens skoler.",
        },
        {
            "what_was_done": "Alle team har arbejdet med tiltaget, og vejlederne har fulgt op hver måned.",
            "signs_observed": "Vi ser fremgang hos de elever, der havde det sværest, og flere lærere bruger de nye greb.",
            "data_used": "Testresultater før og efter samt et kort spørgeskema til lærerne.",
            "next_steps": "Fortsætter. Næste skridt er at gøre det til en fast del af årsplanen.",
        },
    ],
    "adjust": [
        {
            "what_was_done": "Tiltaget er kun gennemført i halvdelen af klasserne på grund af vikarsituationen.",
            "signs_observed": "Hvor det er gennemført, ser vi de ønskede tegn; ellers ingen forskel.",
            "data_used": "Teamenes registreringer og elevinterview i to klasser.",
            "next_steps": "Vi justerer: færre, men faste aktiviteter, og en tydeligere ansvarsfordeling i teamet.",
        },
        {
            "what_was_done": "Forløbene er gennemført, men elevernes deltagelse har været svingende.",
            "signs_observed": "Lærerne oplever engagement i starten, som daler efter nogle uger.",
            "data_used": "Trivselsmålingen og observationer fra ledelsen.",
            "next_steps": "Vi justerer formen, så eleverne selv er med til at planlægge, og evaluerer igen om et halvt år.",
        },
    ],
    "stop": [
        {
            "what_was_done": "Tiltaget er afprøvet i et år i to årgange.",
            "signs_observed": "Vi ser ikke de tegn, vi havde beskrevet, og ressourceforbruget er stort.",
            "data_used": "Indikatoren, tidsregistrering og interview med lærerne.",
            "next_steps": "Vi stopper tiltaget og bruger ressourcerne på de tiltag under målet, der virker.",
        },
    ],
}

ACTED_ON_NOTES = {
    "adjust": "Ny plan aftalt på ledermødet; teamene er orienteret, og den justerede form er i gang.",
    "stop": "Tiltaget er stoppet, og timerne er flyttet til co-teaching i indskolingen.",
}

CONSULTANT_COMMENTS = [
    "Godt at se, at I har fået data fra flere år med. Hvordan bruger teamene tallene i planlægningen?",
    "Kan I beskrive tegnene på, at I lykkes, lidt mere konkret? Så bliver evalueringen lettere.",
    "Stærkt tiltag. Lyngholt Skole arbejder med noget lignende – jeg kan sætte jer i forbindelse.",
    "Jeg hører gerne mere om, hvad I gør anderledes efter evalueringen, når vi ses til næste 1:1.",
    "Overvej om målet er for ambitiøst med den nuværende bemanding. Lad os tage det op på næste møde.",
    "Fin sammenhæng mellem mål og tiltag. Husk at få elevernes perspektiv med i evalueringen.",
]
DIRECTORATE_COMMENTS = [
    "Flot udvikling. Vi vil gerne bruge jeres erfaringer i oplægget til Skoleudvalget.",
    "Hvad skal der til for at vende udviklingen? Tag det gerne med til den næste 1:1-samtale.",
    "Godt initiativ, som ligger tæt på visionens markører. Del det gerne i klyngen.",
    "Jeg savner en opdatering af status siden foråret.",
]

# --- Follow-up: sparring notes and meetings ----------------------------------------------------

# One coherent feedback-model note per entry; {goal} is replaced with a goal of the school.
NOTES = [
    {
        "observation": "Ledelsesteamet fremlagde status på \"{goal}\" med data fra tre år. Afdelingslederne talte mest; skolelederen opsummerede.",
        "experience": "Jeg oplevede et ledelsesteam, der kender deres data godt og tager ejerskab.",
        "interpretation": "Jeg tolker det som et tegn på, at den distribuerede ledelse er ved at sætte sig.",
        "suggestion": "Jeg foreslår, at I lader teamkoordinatorerne fremlægge næste gang.",
    },
    {
        "observation": "Tiltagene under \"{goal}\" er beskrevet, men flere mangler tegn på, at I lykkes, og en plan for evaluering.",
        "experience": "Jeg blev i tvivl om, hvordan I vil vide, om tiltagene virker.",
        "interpretation": "Det kan betyde, at evalueringen bliver en eftertanke, og at det bliver svært at justere i tide.",
        "suggestion": "Brug handleplansskabelonens spørgsmål til tegn og evaluering på næste ledermøde, ét tiltag ad gangen.",
    },
    {
        "observation": "Skolelederen fortalte, at to team ikke har holdt datamøder i dette skoleår, og at vikarsituationen fylder.",
        "experience": "Jeg oplevede en leder under pres, som samtidig har et klart billede af udfordringerne.",
        "interpretation": "Prioriteringen af datamøderne hænger sammen med, hvor meget drift der fylder lige nu.",
        "suggestion": "Lad os sammen se på, hvilke tiltag der kan sættes på pause, så kræfterne samles om \"{goal}\".",
    },
    {
        "observation": "Målingen for \"{goal}\" er gået tilbage fra 2025 til 2026, mens tiltagene står som på rette spor.",
        "experience": "Jeg undrede mig over forskellen mellem data og status.",
        "interpretation": "Måske måler tiltagenes status aktivitet frem for effekt.",
        "suggestion": "Forvaltningens forventning er, at status afspejler effekten. Gennemgå status med teamene inden næste 1:1.",
    },
    {
        "observation": "På besøget i 3. klasse så jeg læsebåndet i gang: alle elever læste i egen bog, og læreren lyttede til to elever.",
        "experience": "Jeg oplevede ro, koncentration og elever, der var glade for deres bøger.",
        "interpretation": "Rutinen ser ud til at være godt forankret i klassen.",
        "suggestion": "Inviter gerne de andre årgange på besøg, så praksis kan spredes.",
    },
    {
        "observation": "Vi gennemgik skolens kvalitetsdata: fravær, trivsel og testresultater for de seneste to år.",
        "experience": "Jeg oplevede en åben samtale om, hvad tallene kan og ikke kan sige.",
        "interpretation": "Skolen ligger under kommunens niveau på fravær, men udviklingen går den rigtige vej.",
        "suggestion": "Fasthold fokus på \"{goal}\", og beskriv i strategien, hvad der skal til for at nå målet i 2027.",
    },
]

MEETING_TEXTS = {
    "one_to_one": {
        "title": "1:1-samtale",
        "purpose": "Følge op på skolens virksomhedsstrategi og skolelederens ledelsesopgave.",
        "expected_outcome": "Fælles billede af status på målene og konkrete aftaler til næste samtale.",
        "roles": "Konsulenten er mødeleder og tager referat; skolelederen forbereder status på målene.",
    },
    "lus": {
        "title": "LUS – ledelsesudviklingssamtale",
        "purpose": "Drøfte skolelederens udvikling ud fra Learning Pipeline-profilen for niveauet.",
        "expected_outcome": "To til tre udviklingsmål for det kommende år.",
        "roles": "Skolelederen har forberedt en selvvurdering; konsulenten spørger ind og skriver aftaler.",
    },
    "grus": {
        "title": "GRUS – ledelsesteamudviklingssamtale",
        "purpose": "Udvikle ledelsesteamet som et professionelt læringsfællesskab.",
        "expected_outcome": "Aftaler om ledelsesteamets samarbejde og fordeling af ledelsesopgaver.",
        "roles": "Konsulenten faciliterer; skolelederen indleder; alle ledere bidrager.",
        "items": [
            ("Ledelsesteamets fælles opgave", "Skabe et fælles billede af teamets vigtigste opgaver i år.", "Runde, hvor hver leder beskriver sin vigtigste opgave.", 20),
            ("Distribueret ledelse: hvem leder hvad?", "Tydeliggøre ansvar og mandat i ledelsesteamet.", "Arbejde med opgavefordelingen på tavle; fælles drøftelse.", 30),
            ("Ledelsesteamet som professionelt læringsfællesskab", "Drøfte, hvordan teamet lærer af egen praksis.", "Paradoksmodellen som oplæg til refleksion.", 30),
            ("Aftaler", "Konkrete aftaler til næste GRUS.", "Opsamling ved konsulenten.", 10),
        ],
    },
    "team_development": {
        "title": "Teamudviklingssamtale",
        "purpose": "Støtte årgangsteamets samarbejde om elevernes læring.",
        "expected_outcome": "Teamet har aftalt fokus og arbejdsform for det næste halve år.",
        "roles": "Afdelingslederen er mødeleder; konsulenten observerer og giver feedback.",
        "items": [
            ("Teamets mål og data", "Fælles forståelse af, hvor eleverne er.", "Teamet fremlægger data; spørgsmål og refleksion.", 25),
            ("Samarbejdet i teamet", "Styrke relationerne i teamet.", "Relationsanalysen, trin 1 og 2.", 30),
            ("Aftaler", "Konkrete næste skridt.", "Opsamling.", 10),
        ],
    },
    "theme_meeting": {
        "title": "Temamøde i klyngen: datainformerede beslutninger",
        "purpose": "Dele erfaringer med at bruge data i ledelsesteamet på tværs af klyngens skoler.",
        "expected_outcome": "Hver skole går hjem med én idé, de vil afprøve.",
        "roles": "Konsulenten holder oplæg og faciliterer; skolelederne deler eksempler.",
        "items": [
            ("Oplæg: det brede databegreb", "Fælles sprog om resultat-, proces-, demografiske og perceptionsdata.", "Oplæg ved konsulenten.", 20),
            ("Erfaringsudveksling", "Lære af hinandens praksis.", "Skolerne fortæller i par, derefter fælles opsamling.", 40),
            ("Næste skridt", "Hver skole vælger én idé at afprøve.", "Individuel refleksion og runde.", 15),
        ],
    },
    "sparring": {
        "title": "Sparring med skolelederen",
        "purpose": "Sparring på et aktuelt ledelsesdilemma.",
        "expected_outcome": "Skolelederen har et bedre grundlag for at træffe beslutningen.",
        "roles": "Skolelederen bringer dilemmaet; konsulenten stiller spørgsmål.",
        "items": [
            ("Dilemmaet", "Forstå situationen fra flere sider.", "Skolelederen fremlægger; konsulenten spørger ind (5F: fokusér og forstå).", 20),
            ("Muligheder", "Se flere handlemuligheder.", "Forestil og fastslå.", 25),
            ("Aftaler", "Næste skridt.", "Opsamling.", 10),
        ],
    },
}

MEETING_NOTES = [
    "God samtale med en åben drøftelse. Aftalerne er noteret nedenfor.",
    "Vi nåede alle punkter. Skolelederen sender den opdaterede status inden næste møde.",
    "Samtalen tog udgangspunkt i data fra strategien. Enighed om at prioritere færre tiltag.",
]
AGENDA_NOTES = [
    "Drøftet. Skolen er godt i gang, men mangler at få alle team med.",
    "Status gennemgået; data viser fremgang. Ingen nye aftaler.",
    "Drøftet med udgangspunkt i konkrete eksempler fra praksis.",
    "Udfordringen er tiden. Aftale om at tage det op på ledermødet.",
    "Skolelederen vurderer sig selv højt her og gav gode eksempler.",
]

AGREEMENTS = [
    "Skolelederen opdaterer status på tiltagene i Målpil inden næste 1:1-samtale.",
    "Ledelsesteamet beskriver tegn på, at vi lykkes, for alle tiltag under læsemålet.",
    "Konsulenten sender materiale om datamøder og kontaktoplysninger på en skole med god praksis.",
    "Skolelederen laver en plan for, hvilke tiltag der sættes på pause i foråret.",
    "Afdelingslederen planlægger to datamøder i indskolingen inden jul.",
    "Skolen tager kontakt til PPR om et fælles forløb om inklusion.",
    "Ledelsesteamet gennemfører et GRUS-opfølgningsmøde og fordeler ledelsesopgaverne på ny.",
    "Skolelederen fremlægger fraværsdata for skolebestyrelsen.",
]
