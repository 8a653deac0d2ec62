"""The reference data in seed/ is a word-for-word transcription of the municipal source documents.

These tests read the PDF-extracted source texts in shared/seeds/ and check that the role profiles
(Learning Pipeline), the vision and its markers, the strategic periods with their follow-up cadence,
and the Fælles om Ledelse tools in seed/*.yaml say exactly what the documents say.

Only PyYAML and the standard library are needed (no app imports).
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED = Path(__file__).resolve().parents[1] / "seed"

HERNINGVEJ_SRC = "000_0b1ebdbef6e528b1.txt"
MUNICIPAL_SRC = "001_d343737db2ce7202.txt"
ACTIVITIES_SRC = "002_e1ef1b3300b5fbcb.txt"
MAALPIL_SRC = "003_4c1e0151545f97c0.txt"
FAELLES_SRC = "004_b1e32f3dd9b7fa37.txt"

CATEGORIES = {"PRIORITETER": "priorities", "ARBEJDSVÆRDIER": "work_values", "FÆRDIGHEDER": "skills"}
LEVEL_HEADINGS = {
    "MEDARBEJDER": "medarbejder",
    "LEDER AF MEDARBEJDERE": "leder-af-medarbejdere",
    "LEDER AF LEDERE": "leder-af-ledere",
    "CHEF": "chef",
    "DIREKTØR": "direktoer",
    "RÅDMAND": "raadmand",
    "SKOLEBESTYRELSE": "skolebestyrelse",
    "SKOLEUDVALG": "skoleudvalg",
    "FORÆLDRE": "foraeldre",
    "ELEVER": "elever",
}
MUNICIPAL_LEVELS = [
    "medarbejder",
    "leder-af-medarbejdere",
    "leder-af-ledere",
    "chef",
    "direktoer",
    "raadmand",
    "skolebestyrelse",
    "skoleudvalg",
]
LOCAL_LEVELS = ["foraeldre", "elever"]


# --------------------------------------------------------------------------- helpers


def source(name):
    return (SOURCES / name).read_text(encoding="utf-8")


def seed(name):
    return yaml.safe_load((SEED / name).read_text(encoding="utf-8"))


def normalise(text):
    """PDF text -> one line: repair hyphenation across line breaks, drop markup, collapse whitespace.

    "hjem-\\nmeside" -> "hjemmeside" (also across a page break's blank lines), while real hyphens
    survive: "1:1-\\nsamtaler" -> "1:1-samtaler", "leder- \\nteam- og" -> "leder- team- og",
    "spil - \\nindividuelt" -> "spil - individuelt".
    """
    text = text.replace("**", "").replace("\uf0b7", " ").replace("•", " ")
    text = re.sub(r"([^\W\d_])-\n\s*(?=[a-zæøå])", r"\1", text)
    text = re.sub(r"(\d)-\n\s*(?=\S)", r"\1-", text)
    text = re.sub(r"/\n\s*(?=\S)", "/", text)
    return re.sub(r"\s+", " ", text).strip()


def lines_of(value):
    """A seed text may hold several source passages, one per line (or paragraph)."""
    return [line.strip() for line in value.split("\n") if line.strip()]


def profile_blocks(text, name_after_block):
    """Split a Learning Pipeline text into {(level key, category): [raw bullet strings]}.

    001 prints a level's name before its PRIORITETER/ARBEJDSVÆRDIER/FÆRDIGHEDER block,
    000 (Herningvej) prints it after the block. Parsing stops at the FAQ.
    Returns the level keys in document order and the bullets (source lines, unnormalised).
    """
    text = re.sub(r"LEDER AF\s*\n\s*MEDARBEJDERE", "LEDER AF MEDARBEJDERE", text)
    order, per_level = [], {}
    block = {}  # category -> bullets, each a list of source lines
    category = None
    for raw in text.split("\n"):
        line = raw.strip()
        if line == "FAQ":
            break
        if line in LEVEL_HEADINGS:
            key = LEVEL_HEADINGS[line]
            order.append(key)
            if name_after_block:
                per_level[key] = block  # the block just read belongs to this name
                block = {}
            else:
                block = per_level[key] = {}  # the block that follows belongs to this name
            category = None
            continue
        if line in CATEGORIES:
            category = CATEGORIES[line]
            block.setdefault(category, [])
            continue
        if category is None or not line:
            continue
        match = re.match(r"^(?:- \+|\+)\s+(.*)$", line)
        if match:
            block[category].append([match.group(1)])
        elif block[category]:
            block[category][-1].append(line)
    if name_after_block:
        assert not block, "bullets after the last level name"
    blocks = {
        (key, category): ["\n".join(bullet) for bullet in bullets]
        for key, categories in per_level.items()
        for category, bullets in categories.items()
    }
    return order, blocks


def levels_by_key(doc):
    return {level["key"]: level for level in doc["levels"]}


# --------------------------------------------------------------------------- Learning Pipeline

LP_DOCS = {
    "municipal": ("learning_pipeline.yaml", MUNICIPAL_SRC, False),
    "herningvej": ("herningvej_learning_pipeline.yaml", HERNINGVEJ_SRC, True),
}

# Pinned bullet counts per level and category, as printed in the two documents.
PINNED_COUNTS = {
    "municipal": {
        "medarbejder": (5, 6, 6),
        "leder-af-medarbejdere": (5, 5, 6),
        "leder-af-ledere": (5, 6, 7),
        "chef": (5, 6, 6),
        "direktoer": (6, 5, 6),
        "raadmand": (5, 6, 5),
        "skolebestyrelse": (5, 5, 6),
        "skoleudvalg": (5, 5, 5),
    },
    "herningvej": {
        "foraeldre": (6, 5, 6),
        "elever": (5, 4, 4),
        "medarbejder": (5, 6, 6),
        "leder-af-medarbejdere": (5, 5, 6),
        "leder-af-ledere": (5, 6, 7),
        "chef": (5, 6, 6),
        "direktoer": (6, 5, 6),
        "raadmand": (5, 6, 5),
        "skolebestyrelse": (5, 5, 6),
        "skoleudvalg": (5, 5, 5),
    },
}
PINNED_ROWS = [
    (doc, level, category, counts[i])
    for doc, table in PINNED_COUNTS.items()
    for level, counts in table.items()
    for i, category in enumerate(("priorities", "work_values", "skills"))
]


@pytest.mark.parametrize("doc", LP_DOCS)
def test_every_expectation_is_printed_in_its_source(doc):
    seed_file, src, _ = LP_DOCS[doc]
    text = normalise(source(src))
    missing = [
        (level["key"], category, item)
        for level in seed(seed_file)["levels"]
        for category, items in level["expectations"].items()
        for item in items
        if item not in text
    ]
    assert not missing, f"{seed_file}: expectations not found word for word in {src}: {missing}"


@pytest.mark.parametrize("doc", LP_DOCS)
def test_expectations_sit_under_their_own_level_and_category(doc):
    """Each expectation occurs in its own level's block, in document order (block order is
    what differs between 000 and 001)."""
    seed_file, src, name_after_block = LP_DOCS[doc]
    _, blocks = profile_blocks(source(src), name_after_block)
    for level in seed(seed_file)["levels"]:
        for category, items in level["expectations"].items():
            block = normalise("\n\n".join(blocks[(level["key"], category)]))
            position = 0
            for item in items:
                found = block.find(item, position)
                assert found >= 0, (
                    f"{seed_file}: '{item}' is not in {level['key']}/{category} of {src} "
                    f"(or out of order)"
                )
                position = found + len(item)


@pytest.mark.parametrize("doc", LP_DOCS)
def test_bullet_counts_match_the_source(doc):
    seed_file, src, name_after_block = LP_DOCS[doc]
    order, blocks = profile_blocks(source(src), name_after_block)
    levels = levels_by_key(seed(seed_file))
    assert [level["key"] for level in seed(seed_file)["levels"]] == order
    parsed = {key: len(bullets) for key, bullets in blocks.items()}
    in_yaml = {
        (key, category): len(items)
        for key, level in levels.items()
        for category, items in level["expectations"].items()
    }
    assert in_yaml == parsed


@pytest.mark.parametrize("doc,level,category,expected", PINNED_ROWS)
def test_pinned_bullet_counts(doc, level, category, expected):
    seed_file, src, name_after_block = LP_DOCS[doc]
    _, blocks = profile_blocks(source(src), name_after_block)
    assert len(blocks[(level, category)]) == expected, f"{src}: {level}/{category} changed"
    assert len(levels_by_key(seed(seed_file))[level]["expectations"][category]) == expected


def test_municipal_pipeline_has_the_eight_levels_in_order():
    doc = seed("learning_pipeline.yaml")
    assert doc["source"] == "Learning Pipeline – sammen om læring og ledelse, Aalborg Kommunes skoler"
    assert [level["key"] for level in doc["levels"]] == MUNICIPAL_LEVELS
    assert [level["name"] for level in doc["levels"]] == [
        "Medarbejder",
        "Leder af medarbejdere",
        "Leder af ledere",
        "Chef",
        "Direktør",
        "Rådmand",
        "Skolebestyrelse",
        "Skoleudvalg",
    ]
    for level in doc["levels"]:
        assert set(level["expectations"]) == {"priorities", "work_values", "skills"}


def test_municipal_intro_and_faq_are_word_for_word():
    doc = seed("learning_pipeline.yaml")
    text = normalise(source(MUNICIPAL_SRC))
    intro = [p for p in doc["intro"].split("\n\n") if p.strip()]
    assert intro[0].startswith("I Skoleforvaltningen, Aalborg Kommune, arbejder vi med Learning Pipeline.")
    for paragraph in intro:
        assert paragraph.strip() in text
    faq = doc["faq"]
    assert len(faq) == 6
    assert faq[0]["question"] == "Hvorfor – hvad skal vi med profilerne?"
    for entry in faq:
        assert entry["question"].endswith("?") and entry["question"] in text
        paragraphs = [p.strip() for p in entry["answer"].split("\n\n") if p.strip()]
        assert paragraphs, entry["question"]
        for paragraph in paragraphs:
            assert paragraph in text, paragraph
    # the FAQ says what the profiles are used for: MUS/TUS/LUS, recruitment, well-being surveys
    assert "Medarbejder-, Team- og Lederudviklingssamtaler, Rekruttering, Trivselsmålinger" in faq[-1]["answer"]


def test_herningvej_has_all_ten_levels_with_local_levels_marked():
    doc = seed("herningvej_learning_pipeline.yaml")
    assert doc["school"] == "Herningvej Skole"
    levels = levels_by_key(doc)
    assert set(levels) == set(MUNICIPAL_LEVELS) | set(LOCAL_LEVELS)
    for key in MUNICIPAL_LEVELS:
        assert levels[key]["municipal"] is True, key
    for key, name in (("foraeldre", "Forældre"), ("elever", "Elever")):
        assert levels[key]["municipal"] is False
        assert levels[key]["name"] == name
        for category in ("priorities", "work_values", "skills"):
            assert levels[key]["expectations"][category], f"{key}/{category} is empty"
    # the block printed above "FORÆLDRE" is the parents' profile, not the pupils'
    assert levels["foraeldre"]["expectations"]["priorities"][0].startswith("Orienterer sig på skolens hjemmeside")
    assert "Er fysisk aktiv hver dag" in levels["elever"]["expectations"]["priorities"]
    # ... and the block above "SKOLEUDVALG" is the committee's
    assert levels["skoleudvalg"]["expectations"]["priorities"][0].startswith("Skaber visioner, retning og mål")


# Where Herningvej's copy of a municipal profile is worded differently from 001 (level, category,
# index, 001 wording, 000 wording). All differences are spelling: 001 prints "skolevæsnets" /
# "skolevæset" where 000 has "skolevæsnet", plus a few other variants.
KNOWN_DIFFERENCES = {
    ("chef", "work_values", 2): (
        "Giver politikerne kvalificerede muligheder i skolevæsenet og skaber mening fra politiske beslutninger til praksis og omvendt",
        "Giver politikerne kvalificerede muligheder i skolevæsnet og skaber mening fra politiske beslutninger til praksis og omvendt",
    ),
    ("direktoer", "priorities", 0): (
        "Står til rådighed, servicerer, rådgiver og sparrer med Skoleudvalg og rådmænd",
        "Står til rådighed, servicerer, rådgiver og sparrer med Skoleudvalg og rådmand",
    ),
    ("direktoer", "priorities", 4): (
        "Sikrer at skolevæsnets bruger flest ressourcer på at gøre det, der giver størst effekt",
        "Sikrer at skolevæsnet bruger flest ressourcer på at gøre det, der giver størst effekt",
    ),
    ("direktoer", "work_values", 1): (
        "Sikrer at politikerne har tillid til skolevæsnets – og at skolevæsnets har tillid til politikerne",
        "Sikrer at politikerne har tillid til skolevæsnet – og at skolevæsnet har tillid til politikerne",
    ),
    ("direktoer", "skills", 3): (
        "Kommunikerer retning for skolevæsnets og er historiefortælleren (storyteller) for hele skolevæsnets",
        "Kommunikerer retning for skolevæsnet og er historiefortælleren (storyteller) for hele skolevæsnet",
    ),
    ("raadmand", "priorities", 3): (
        "Er synlig og sammenhængs-kæbende for skolevæsnets og borgernes",
        "Er synlig og sammenhængskabende for skolevæsnet og borgerne",
    ),
    ("raadmand", "priorities", 4): (
        "Gør skolevæsnets gældende lokalt, regionalt og nationalt",
        "Gør skolevæsnet gældende lokalt, regionalt og nationalt",
    ),
    ("raadmand", "work_values", 1): (
        'Har fokus på børn frem for "system"',
        "Har fokus på børn frem for ”system”",
    ),
    ("raadmand", "skills", 2): (
        "Sikrer at skolevæsnets udgør en markant ressource for Aalborg Kommune",
        "Sikrer at skolevæsnet udgør en markant ressource for Aalborg Kommune",
    ),
    ("skoleudvalg", "priorities", 0): (
        "Skaber visioner, retning og mål for skolevæset",
        "Skaber visioner, retning og mål for skolevæsnet",
    ),
    ("skoleudvalg", "priorities", 4): (
        "Er synlige i skolevæset",
        "Er synlige i skolevæsnet",
    ),
}


def test_herningvej_municipal_levels_compared_with_the_municipal_profiles():
    municipal = levels_by_key(seed("learning_pipeline.yaml"))
    local = levels_by_key(seed("herningvej_learning_pipeline.yaml"))
    differences = {}
    for key in MUNICIPAL_LEVELS:
        assert local[key]["name"] == municipal[key]["name"]
        for category in ("priorities", "work_values", "skills"):
            ours, theirs = municipal[key]["expectations"][category], local[key]["expectations"][category]
            assert len(ours) == len(theirs), f"{key}/{category}: 001 has {len(ours)}, 000 has {len(theirs)}"
            for i, (a, b) in enumerate(zip(ours, theirs)):
                if a != b:
                    differences[(key, category, i)] = (a, b)
    report = "\n".join(
        f"  {key}/{category}[{i}]:\n    001: {a}\n    000: {b}"
        for (key, category, i), (a, b) in sorted(differences.items())
    )
    assert differences == KNOWN_DIFFERENCES, (
        "Herningvej's municipal levels differ from 001 other than known; differences now:\n" + report
    )


# --------------------------------------------------------------------------- vision (003)

VISION_MARKERS = [
    "Alle kan se, at de bliver dygtigere hver dag",
    "Alle har mod på at deltage i verden",
    "Alle har en ven i skolen",
    "Læringen foregår overvejende eksperimenterende og problemløsende",
    "Alle ansatte arbejder systematisk med vidensproduktion",
]


def markdown_bullets(text, heading):
    """Bullet groups (separated by blank lines) after a markdown heading, up to the next heading."""
    lines = text.split("\n")
    start = lines.index(heading) + 1
    groups, current = [], []
    for line in lines[start:]:
        if line.startswith("#"):
            break
        if line.startswith("- "):
            current.append(line[2:].replace("**", "").strip())
        elif current and (not line.strip() or not line.startswith("- ")):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def test_vision_markers_are_word_for_word_in_the_maalpil():
    policies = seed("policies.yaml")
    text = normalise(source(MAALPIL_SRC))
    vision = next(p for p in policies["policies"] if p["key"] == "vision")
    assert vision["name"] == "Noget at have det i" and vision["kind"] == "vision"
    assert vision["description"] == "Vi gør visionen til virkelighed ved at:"
    assert vision["description"] in text
    assert [goal["text"] for goal in vision["goals"]] == VISION_MARKERS
    assert vision["goals"][0]["key"] == "dygtigere-hver-dag"
    assert markdown_bullets(source(MAALPIL_SRC), "### Noget at have det i") == [VISION_MARKERS]
    for marker in VISION_MARKERS:
        assert marker in text


def test_policies_themes_and_goals_are_consistent():
    policies = seed("policies.yaml")
    assert policies["themes"] == [
        {"key": "laering", "name": "Læring"},
        {"key": "trivsel", "name": "Trivsel"},
        {"key": "dannelse", "name": "Dannelse"},
    ]
    for name in ("Læring", "Trivsel", "Dannelse"):
        assert name in source(MAALPIL_SRC)
    theme_keys = {t["key"] for t in policies["themes"]}
    assert [p["key"] for p in policies["policies"]] == ["vision", "boerne-og-ungepolitik", "skolepolitiske-maal"]
    for policy in policies["policies"]:
        assert policy["goals"], policy["key"]
        for goal in policy["goals"]:
            assert goal["themes"] and set(goal["themes"]) <= theme_keys, goal
            assert 1 <= len(goal["themes"]) <= (3 if policy["kind"] == "policy" else 2)
    for key, name in (("boerne-og-ungepolitik", "Børne- og ungepolitik"), ("skolepolitiske-maal", "Skolepolitiske mål")):
        policy = next(p for p in policies["policies"] if p["key"] == key)
        assert policy["name"] == name and policy["kind"] == "policy"
        assert policy["goals"] == [{"key": key, "text": name, "themes": ["laering", "trivsel", "dannelse"]}]
        assert policy["description"] == "" or policy["description"] in normalise(source(ACTIVITIES_SRC))


def test_foundation_and_children_experience_match_the_maalpil():
    policies = seed("policies.yaml")
    assert markdown_bullets(source(MAALPIL_SRC), "### Det vi står på")[0] == policies["foundation"]
    assert policies["foundation"][0] == "Strategisk og helhedsorienteret ledelse"
    text = normalise(source(MAALPIL_SRC))
    paragraphs = [p.strip() for p in policies["children_experience"].split("\n\n") if p.strip()]
    assert len(paragraphs) == 3
    for paragraph in paragraphs:
        assert paragraph in text


# --------------------------------------------------------------------------- periods (002, 003)


def periods_by_key():
    return {p["key"]: p for p in seed("periods.yaml")["periods"]}


def test_maalpil_activities_per_year_match_the_three_bullet_groups():
    groups = markdown_bullets(source(MAALPIL_SRC), "## Aktiviteter og Indsatser")
    assert [len(g) for g in groups] == [11, 10, 6]
    period = periods_by_key()["2021-2023"]
    assert period["title"] == "Strategisk målpil for Skoleforvaltningen, Aalborg Kommune 2021-23"
    assert (period["start_year"], period["end_year"]) == (2021, 2023)
    assert period["follow_up"] == []
    per_year = Counter(a["year"] for a in period["activities"])
    assert per_year == {2021: 11, 2022: 10, 2023: 6}
    for year, group in zip((2021, 2022, 2023), groups):
        texts = [a["text"] for a in period["activities"] if a["year"] == year]
        assert texts == group, year
    for activity in period["activities"]:
        assert (activity["policy"], activity["level"], activity["heading"]) == ("vision", None, None)
        assert "**" not in activity["text"]


def test_strategic_overview_activities_are_word_for_word():
    text = normalise(source(ACTIVITIES_SRC))
    periods = periods_by_key()
    assert list(periods) == ["2018-2020", "2020-2022", "2021-2023"]
    policy_keys = {p["key"] for p in seed("policies.yaml")["policies"]}
    for key in ("2018-2020", "2020-2022"):
        period = periods[key]
        assert period["title"] == f"Oversigt over strategiske aktiviteter på skoleområdet {key}"
        assert (period["start_year"], period["end_year"]) == tuple(int(y) for y in key.split("-"))
        assert period["activities"] and period["follow_up"]
        for activity in period["activities"]:
            assert activity["text"] in text, activity["text"]
            assert activity["policy"] in policy_keys - {"vision"}
            assert activity["level"] in (None, "medarbejder", "ledelse")
            assert activity["year"] is None
            if activity["heading"] is not None:
                assert activity["heading"] in text
        for bullet in period["follow_up"]:
            assert bullet in text, bullet
    # the number of  bullets in 002 is what the two periods hold between them
    bullets = source(ACTIVITIES_SRC).count("\uf0b7")
    held = sum(len(periods[k]["activities"]) + len(periods[k]["follow_up"]) for k in ("2018-2020", "2020-2022"))
    assert held == bullets
    levels = Counter((a["policy"], a["level"]) for a in periods["2020-2022"]["activities"])
    assert levels == {
        ("boerne-og-ungepolitik", None): 7,
        ("skolepolitiske-maal", "medarbejder"): 8,
        ("skolepolitiske-maal", "ledelse"): 6,
    }


def test_follow_up_formats_carry_the_cadence():
    formats = {f["key"]: f for f in seed("periods.yaml")["follow_up_formats"]}
    text = normalise(source(ACTIVITIES_SRC))
    assert list(formats) == [
        "virksomhedsstrategi",
        "one_to_one",
        "lus",
        "grus",
        "sparring",
        "team_development",
        "theme_meeting",
    ]
    assert (formats["one_to_one"]["min_per_year"], formats["one_to_one"]["max_per_year"]) == (4, 6)
    assert formats["one_to_one"]["meeting_type"] == "one_to_one"
    for key in ("lus", "grus", "virksomhedsstrategi"):
        assert (formats[key]["min_per_year"], formats[key]["max_per_year"]) == (1, 1), key
    assert (formats["team_development"]["min_per_year"], formats["team_development"]["max_per_year"]) == (2, 2)
    for key in ("sparring", "theme_meeting"):
        assert formats[key]["min_per_year"] is None and formats[key]["max_per_year"] is None
    for key, fmt in formats.items():
        assert fmt["meeting_type"] == (None if key == "virksomhedsstrategi" else key)
        for line in lines_of(fmt["description"]):
            assert line in text, (key, line)
    assert "(LUS)" in formats["lus"]["description"] and "(GRUS)" in formats["grus"]["description"]


# --------------------------------------------------------------------------- Fælles om Ledelse (004)

TOOL_KEYS = [
    "themes",
    "action_plan",
    "data_types",
    "stances",
    "feedback_model",
    "five_f",
    "paradox_model",
    "relation_analysis",
    "meeting_template",
    "task_types",
]


def tools():
    doc = seed("faelles_om_ledelse.yaml")
    assert doc["source"] == "Fælles om Ledelse, Kolding Kommune"
    return {tool["key"]: tool for tool in doc["tools"]}


def test_faelles_om_ledelse_has_the_tools_in_order():
    doc = seed("faelles_om_ledelse.yaml")
    assert [t["key"] for t in doc["tools"]] == TOOL_KEYS
    for tool in doc["tools"]:
        assert tool["name"] and isinstance(tool["intro"], str) and tool["items"], tool["key"]
        keys = [item["key"] for item in tool["items"]]
        assert len(keys) == len(set(keys)), tool["key"]
        for key in keys:
            assert re.fullmatch(r"[a-z0-9_-]+", key), key


@pytest.mark.parametrize(
    "tool,items",
    [
        ("stances", {"supportive": "Understøttende", "challenging": "Udfordrende", "directive": "Retningsgivende", "evaluative": "Kvalitetsvurderende"}),
        ("data_types", {"result": "Resultatdata", "process": "Processuelle data", "demographic": "Demografiske data", "perception": "Perceptionsdata"}),
        ("feedback_model", {"observation": "Iagttagelse", "experience": "Oplevelse", "interpretation": "Fortolkning", "suggestion": "Forslag"}),
        ("action_plan", {"staasted": "Ståsted", "maal": "Mål", "tiltag-og-tegn": "Tiltag og Tegn", "evaluering": "Evaluering"}),
    ],
)
def test_four_step_tools(tool, items):
    found = {item["key"]: item["name"] for item in tools()[tool]["items"]}
    assert found == items
    assert list(found) == list(items)
    text = normalise(source(FAELLES_SRC)).casefold()
    for name in items.values():
        assert name.casefold() in text


def test_five_themes_and_five_f():
    all_tools = tools()
    assert [i["name"] for i in all_tools["themes"]["items"]] == [
        "Tværgående samarbejde",
        "Datainformerede beslutninger",
        "Ledelsesteam er professionelle læringsfællesskaber",
        "Distribueret ledelse",
        "Systematisk videndeling",
    ]
    assert [i["name"] for i in all_tools["five_f"]["items"]] == ["Fokusér", "Forstå", "Forestil", "Fastslå", "Frigør"]
    assert len(all_tools["task_types"]["items"]) == 4


def test_every_tool_text_is_word_for_word_in_the_material():
    text = normalise(source(FAELLES_SRC))
    for tool in seed("faelles_om_ledelse.yaml")["tools"]:
        for line in lines_of(tool["intro"]):
            assert line in text, (tool["key"], "intro", line)
        for item in tool["items"]:
            assert item["name"].casefold() in text.casefold() or tool["key"] in (
                "stances",
                "paradox_model",
                "meeting_template",
            ), (tool["key"], item["name"])
            if tool["key"] != "themes":
                assert item["description"].strip(), (tool["key"], item["key"])
            for line in lines_of(item["description"]):
                assert line in text, (tool["key"], item["key"], line)
