"""What each role does in its first week, and the glossary's short help texts.

Written once here, in the interface's words (DESIGN.md's glossary), and shown by the guide page,
the welcome panel after the first sign-in, and the help buttons beside a term (macro ``term``).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from strategy.models import Role


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    endpoint: str | None = None  # where the step is done (a page of the main menu)
    link: str = ""


@dataclass(frozen=True)
class Guide:
    role: Role
    name: str
    intro: str
    steps: tuple[Step, ...]


GUIDES = {
    Role.LEADER: Guide(Role.LEADER, _l("Skoleleder"), _l(
        "Du holder skolens virksomhedsstrategi levende: mål, tiltag, status og evalueringer. "
        "Din konsulent deler notater og aftaler med dig, og samtalerne forberedes her."), (
        Step(_l("Se skolens strategi"), _l(
            "Min skole viser periodens mål med tiltag og seneste status. Øverst står et overblik: "
            "tiltag efter status og det, der kræver handling."), "schools.my_school", _l("Åbn Min skole")),
        Step(_l("Sæt status på tiltagene"), _l(
            "Vælg \u201eSkift status\u201c ved et tiltag, og skriv en kort kommentar om, hvor I er. "
            "Samlet status for målet følger med af sig selv."), "schools.my_school", _l("Åbn Min skole")),
        Step(_l("Læs det, konsulenten har delt"), _l(
            "Under \u201eNotater og samtaler\u201c i menuen ligger sparringsnotater og samtaler, der er delt "
            "med skolen, og aftalerne fra dem."), "followup.school", _l("Åbn Notater og samtaler")),
        Step(_l("Følg op på dine aftaler"), _l(
            "Mine aftaler samler det, du har lovet. Sæt flueben, når en aftale er udført: konsulenten "
            "kan se det med det samme."), "followup.my_agreements", _l("Åbn Mine aftaler")),
        Step(_l("Forbered næste samtale"), _l(
            "Learning Pipeline viser forventningerne til dit ledelsesniveau. De er grundlaget for "
            "LUS og 1:1-samtaler."), "reference.pipeline", _l("Åbn Learning Pipeline")),
    )),
    Role.CONSULTANT: Guide(Role.CONSULTANT, _l("Konsulent"), _l(
        "Du følger de skoler, du er konsulent for: sparring, samtaler og aftaler."), (
        Step(_l("Se dine skoler"), _l(
            "Mine skoler er en tabel med seneste kontakt, næste samtale, åbne aftaler, 1:1-samtaler, "
            "LUS og GRUS. Den skole, der mest har brug for kontakt, står øverst."),
            "followup.my_schools", _l("Åbn Mine skoler")),
        Step(_l("Skriv et sparringsnotat"), _l(
            "Vælg \u201eNyt sparringsnotat\u201c ved skolen: positioner, iagttagelser efter feedbackmodellen, "
            "de mål, I talte om, og aftaler med ansvarlig og frist. Del notatet med skolens ledelse, "
            "når det er klar."), "followup.my_schools", _l("Åbn Mine skoler")),
        Step(_l("Planlæg en samtale"), _l(
            "Vælg \u201ePlanlæg samtale\u201c. Til en LUS eller 1:1-samtale foreslår Målpil en dagsorden ud fra "
            "lederens Learning Pipeline-profil og skolens mål: sæt flueben ved det, I vil tale om."),
            "followup.my_schools", _l("Åbn Mine skoler")),
        Step(_l("Hold øje med aftalerne"), _l(
            "Mine aftaler viser aftalerne fra dine notater og samtaler, de overskredne først."),
            "followup.my_agreements", _l("Åbn Mine aftaler")),
    )),
    Role.DIRECTORATE: Guide(Role.DIRECTORATE, _l("Direktion"), _l(
        "Du ser skolernes fremdrift mod de politiske mål og følger samtalekadencen."), (
        Step(_l("Læs Overblik"), _l(
            "Hver celle viser den samlede status for de tiltag, der tjener et politisk mål på en skole. "
            "Vælg en celle for at se tiltagene. Filtrér på periode, klynge, tema og niveau."),
            "overview.index", _l("Åbn Overblik")),
        Step(_l("Se signalerne"), _l(
            "Signaler og watchlist viser skoler, der ikke har opdateret længe, og udfordrede tiltag."),
            "overview.signals", _l("Åbn Signaler og watchlist")),
        Step(_l("Følg samtalekadencen"), _l(
            "Opfølgning viser for hver skole 1:1-samtaler, LUS og GRUS i skoleåret, og hvem der er bagud."),
            "followup.cadence", _l("Åbn Opfølgning")),
        Step(_l("Rapportér til Skoleudvalget"), _l(
            "Rapporter giver en udskrift eller PDF pr. skole eller pr. politisk mål."),
            "overview.reports_index", _l("Åbn Rapporter")),
    )),
    Role.ADMIN: Guide(Role.ADMIN, _l("Administrator"), _l(
        "Du holder brugere, skoler, perioder og referencedata ved lige."), (
        Step(_l("Opret brugere"), _l(
            "Under Administration → Brugere opretter du ledere, konsulenter og læsere og knytter dem til "
            "deres skole."), "admin.users", _l("Åbn Brugere")),
        Step(_l("Opret næste strategiperiode i god tid"), _l(
            "Skolerne kan kun starte en ny virksomhedsstrategi i en periode, der findes. Opret den næste "
            "periode under Administration → Strategiperioder."), "admin.periods", _l("Åbn Strategiperioder")),
        Step(_l("Hold referencedata ved lige"), _l(
            "Politiske mål og Learning Pipeline-niveauer redigeres under Administration."),
            "admin.index", _l("Åbn Administration")),
        Step(_l("Se historikken"), _l(
            "Historik viser, hvem der har ændret hvad og hvornår."), "admin.history", _l("Åbn Historik")),
    )),
    Role.READER: Guide(Role.READER, _l("Læser"), _l(
        "Du kan læse din skoles virksomhedsstrategi og de fælles referencer."), (
        Step(_l("Læs skolens strategi"), _l(
            "Min skole viser mål, tiltag og deres seneste status."), "schools.my_school", _l("Åbn Min skole")),
        Step(_l("Se forventningerne"), _l(
            "Learning Pipeline beskriver forventningerne til hvert ledelsesniveau."),
            "reference.pipeline", _l("Åbn Learning Pipeline")),
        Step(_l("Se de politiske mål"), _l(
            "Politiske mål viser, hvad skolernes mål bidrager til."), "reference.policies", _l("Åbn Politiske mål")),
    )),
}

# The glossary's words where they first appear on a page (DESIGN.md): key -> (word, help text).
GLOSSARY = {
    "strategy": (_l("Virksomhedsstrategi"), _l(
        "Skolens plan for en strategiperiode: mål med indikatorer og de tiltag, der skal nå dem. Den revideres hvert år.")),
    "goal": (_l("Mål"), _l(
        "Et progressionsmål: hvad skolen vil opnå i perioden, med en indikator, et udgangspunkt og en målsætning.")),
    "initiative": (_l("Tiltag"), _l(
        "Det, skolen gør for at nå et mål: ståsted, hvad I afprøver, hvem der gør hvad hvornår, tegn på at I lykkes, og hvordan I evaluerer.")),
    "rollup": (_l("Samlet status"), _l(
        "Målets status ud fra dets tiltag: Udfordret, hvis et tiltag er udfordret; Gennemført, når alle er gennemført; ellers I gang eller På rette spor.")),
    "lus_grus": (_l("LUS og GRUS"), _l(
        "LUS er lederudviklingssamtalen med den enkelte leder, GRUS gruppeudviklingssamtalen med ledelsesteamet. Begge holdes én gang i skoleåret, senest 31. marts.")),
    "one_to_one": (_l("1:1-samtaler"), _l(
        "Samtaler mellem konsulenten og skolelederen: 4-6 i et skoleår.")),
    "signals": (_l("Signaler"), _l(
        "Det, der gør, at skolen står højt på listen og ikke vises i de andre kolonner: længe siden kontakt, udfordrede tiltag, ingen samtale planlagt.")),
    "stances": (_l("Positioner"), _l(
        "Konsulentens rolle i sparringen: understøttende, udfordrende, retningsgivende eller kvalitetsvurderende.")),
    "expectation": (_l("Forventninger"), _l(
        "Learning Pipeline beskriver for hvert ledelsesniveau, hvad der forventes: prioriteter, arbejdsværdier og færdigheder.")),
}
