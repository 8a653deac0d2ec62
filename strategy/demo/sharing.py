"""Knowledge sharing in the demo (DESIGN.md journey 9): a reading practice at another school than
Herningvej that is tried and evaluated ("fortsæt", with data), for Herningvej's leader to find by
searching "læsebånd" and to adopt; and Herningvej's own morning reading band taken up by two
schools in two clusters, so that Herningvej sees where its practice spread and the directorate
sees the spread per political goal.
"""

from datetime import timedelta

from strategy.demo import catalogue as text
from strategy.demo.municipality import DemoContext
from strategy.models import Adoption, Conclusion, DataType, Evaluation, Goal, Initiative, Status, StatusUpdate

READING_GOAL = text.GOALS["reading"]["title"]
HERNINGVEJ_PRACTICE = text.GOALS["reading"]["initiatives"][0]["title"]  # Læsebånd hver morgen i indskolingen

PRACTICE = {
    "title": "Læsebånd med makkerlæsning på mellemtrinnet",
    "starting_point": (
        "Mange elever i 4.-6. klasse læste kun, når de skulle. Læselysten faldt fra 3. klasse, og "
        "de svage læsere gemte sig i den stille læsning."
    ),
    "what_we_try": (
        "Et fast læsebånd på 25 minutter fire morgener om ugen, hvor eleverne læser i makkerpar på "
        "tværs af klassetrin: en ældre og en yngre elev læser højt for hinanden og taler om bogen."
    ),
    "who_does_what": (
        "Læsevejlederen sætter makkerparrene sammen i august; dansklærerne har læsebåndet; skolebiblioteket "
        "fylder bogkasserne hver 6. uge; afdelingslederen følger op på teammøderne."
    ),
    "success_signs": (
        "Makkerparrene kommer selv i gang. Flere elever låner bøger med hjem, og de svage læsere læser højt "
        "uden at blive stille."
    ),
    "evaluation_plan": "Læsetest i januar og juni, elevernes læselogbøger og en kort elevsamtale i hver klasse.",
    "responsible": "Læsevejleder og dansklærerne på mellemtrinnet",
}
PRACTICE_EVALUATION = {
    "what_was_done": (
        "Læsebåndet med makkerlæsning har kørt hele skoleåret i alle klasser på mellemtrinnet, fire morgener om ugen."
    ),
    "signs_observed": (
        "Makkerparrene er i gang inden for få minutter, og lærerne ser de svage læsere læse højt for deres makker. "
        "Bibliotekets udlån til mellemtrinnet er steget."
    ),
    "data_used": (
        "Andelen af sikre læsere i 5. klasse steg fra 64 % til 73 % (læsetesten i juni). I trivselsmålingen svarer "
        "flere elever, at de kan lide at læse. Biblioteket har talt udlån måned for måned."
    ),
    "next_steps": "Vi fortsætter og tilbyder klyngens skoler at se et læsebånd. Næste år kobler vi forældrene på.",
}
ADOPTIONS = [
    {
        "title": "Morgenlæsebånd i 0.-2. klasse",
        "starting_point": (
            "Hos os bliver læsningen i indskolingen ofte skubbet af andre aktiviteter. Vi har set, at Herningvej "
            "Skole fik ro og fremdrift med et fast morgenbånd, og vi har samme udfordring med vikardækning."
        ),
        "what_we_try": (
            "15 minutters læsebånd hver morgen i 0.-2. klasse. Vi starter med færre minutter end Herningvej, fordi "
            "vores yngste elever har kortere skoledage."
        ),
        "who_does_what": "Klasselærerne har båndet; skolens læsevejleder laver bogkasser til hvert klassetrin.",
        "success_signs": "Eleverne går selv i gang med deres bog, og vi aflyser ikke båndet, når der er vikar.",
        "evaluation_plan": "Vi følger ordlæsningsprøven i 2. klasse og evaluerer på teammødet i marts.",
        "responsible": "Indskolingens klasselærere",
    },
    {
        "title": "Fast læsebånd efter Herningvej-modellen",
        "starting_point": (
            "Vores læseresultater i 2. klasse ligger under kommunens. Vi har mange tosprogede elever og vil bruge "
            "læsebåndet til også at styrke ordforrådet."
        ),
        "what_we_try": (
            "20 minutters læsebånd hver morgen, hvor tosprogede elever to dage om ugen læser med en voksen, der "
            "taler om ordene i bogen."
        ),
        "who_does_what": "Dansklærerne og skolens DSA-lærer deler båndet; afdelingslederen følger op hver 8. uge.",
        "success_signs": "Flere elever kan genfortælle, hvad de har læst, og bruger nye ord i skriftlige opgaver.",
        "evaluation_plan": "Ordlæsningsprøven i maj og en kort ordforrådstest i december og maj.",
        "responsible": "Dansklærerne og DSA-læreren",
    },
]


def _reading_goal(demo: DemoContext, name: str, any_goal: bool = False) -> Goal | None:
    """The school's reading goal if it has room for one more initiative (a goal has at most
    four); with ``any_goal``, failing that, its first goal with room. Stale schools are left
    alone: their point in the demo is that nothing happened there for months."""
    strategy = demo.strategies.get(name)
    if strategy is None or name in text.STALE_SCHOOLS:
        return None
    room = [g for g in strategy.goals if len(g.initiatives) < 4]
    reading = next((g for g in room if g.title == READING_GOAL), None)
    return reading or (room[0] if any_goal and room else None)


def _add_initiative(demo: DemoContext, goal: Goal, values: dict, status: Status, days_ago: int) -> Initiative:
    model = goal.initiatives[0]  # the goal's first initiative lends its level and expectations
    started = demo.at(demo.today - timedelta(days=days_ago))
    changed = demo.at(demo.today - timedelta(days=max(3, days_ago // 3)))
    initiative = demo.add(Initiative(
        goal=goal, position=len(goal.initiatives), status=status, status_changed_at=changed,
        start_date=started.date(), end_date=min(demo.today + timedelta(days=300), started.date() + timedelta(days=700)),
        owner_level=model.owner_level, created_at=started - timedelta(days=7), updated_at=changed, **values,
    ))
    initiative.expectations = list(model.expectations)
    initiative.political_goals = list(model.political_goals) or list(goal.political_goals)
    leader = (demo.leaders.get(goal.strategy.school.name) or [None])[0]
    for step, at in ((Status.IN_PROGRESS, started), (status, changed)):
        demo.add(StatusUpdate(initiative=initiative, status=step, comment="", author=leader, created_at=at))
    return initiative


def build_sharing(demo: DemoContext) -> None:
    """Call after the strategies are built and flushed (the schools' leaders and goals exist)."""
    herningvej_cluster = text.HERNINGVEJ_CLUSTER
    others = [(name, cluster) for name, _slug, cluster in text.SCHOOLS]

    # 1. A practice tried and evaluated at a school in another cluster than Herningvej's.
    source_name = next((n for n, c in others if c != herningvej_cluster and _reading_goal(demo, n)), None)
    if source_name is not None:
        goal = _reading_goal(demo, source_name)
        practice = _add_initiative(demo, goal, PRACTICE, Status.ON_TRACK, days_ago=330)
        leader = (demo.leaders.get(source_name) or [None])[0]
        on = demo.today - timedelta(days=40)
        demo.add(Evaluation(
            initiative=practice, evaluated_on=on, conclusion=Conclusion.CONTINUE, author=leader,
            data_types=sorted([DataType.RESULT.value, DataType.PERCEPTION.value]), created_at=demo.at(on),
            **PRACTICE_EVALUATION,
        ))

    # 2. Herningvej's morning reading band, taken up in its own cluster and in another one.
    herningvej = demo.strategies.get(text.HERNINGVEJ)
    source = next((i for g in (herningvej.goals if herningvej else []) for i in g.initiatives
                   if i.title == HERNINGVEJ_PRACTICE), None)
    if source is None:
        return
    chosen: list[str] = []
    for wanted_same_cluster in (True, False):
        for name, cluster in others:
            if name in chosen or name == source_name or (cluster == herningvej_cluster) != wanted_same_cluster:
                continue
            if _reading_goal(demo, name, any_goal=True):
                chosen.append(name)
                break
    for name, values, days_ago in zip(chosen, ADOPTIONS, (200, 120), strict=False):
        goal = _reading_goal(demo, name, any_goal=True)
        adopted = _add_initiative(demo, goal, values, Status.IN_PROGRESS, days_ago=days_ago)
        demo.add(Adoption(
            initiative=adopted, source_initiative=source, source_school_id=herningvej.school_id,
            source_title=source.title, adopted_by=(demo.leaders.get(name) or [None])[0],
            created_at=adopted.created_at,
        ))
