"""The words of a crisis, by family. Pure data: compiled regular expressions and nothing else.

Each family is one kind of crisis from the evaluation's taxonomy. A *strong* cue flags a post on
its own; a *weak* cue needs a second one (or a strong one) beside it. Cues are written for kinds
of wording — euphemism, means, arrangements, traces — never for one post's sentence. Texts are
matched after `detector.normalize` (lower case, straight quotes), so patterns are lower case.

Longer than a module should be, on purpose: it is the table of cues, one family after another,
and splitting a table across files would only make a reader hunt for the family they want.
This module must not do IO or import anything of engage's but the index it compiles into.
"""

from __future__ import annotations

import re

from engage.crisis.index import Anchored, PatternIndex


# Within one sentence, at most n characters apart.
def near(n: int) -> str:
    return rf"[^.!?\n]{{0,{n}}}?"


FIRST = r"(?:i|i'm|im|i've|ive|i'd|i'll|ill)"
ME = r"(?:me|myself|themselves|themself|himself|herself)"
SELVES = r"(?:myself|themselves|themself|himself|herself)"
PILLS = (
    r"(?:pills?|meds|medications?|medicine|tablets?|capsules?|scripts?|prescriptions?|refills?|"
    r"oxy\w*|xanax|benzos?|tylenol|acetaminophen|ibuprofen|advil|ambien|seroquel|lithium|klonopin|"
    r"sleeping pills|sleep aids?|painkillers|pain pills|insulin|antidepressants?|opioids?|fentanyl)"
)
KID = (
    r"(?:\d{1,2}\s?-?\s?(?:yo|y/o|yr old|year old|year-old|month old|month-old)|kids?|child|children|"
    r"son|daughter|baby|toddler|boy|girl|stepson|stepdaughter|stepkids?|niece|nephew|little "
    r"(?:brother|sister|one)|grandson|granddaughter|infant|newborn|students?|preschooler|lo)"
)
PARTNER = (
    r"(?:he|she|husband|wife|bf|gf|boyfriend|girlfriend|partner|fianc[eé]e?|ex|dad|father|mom|"
    r"mother|stepdad|stepfather|stepmom|brother|uncle|roommate|abuser|attacker)"
)
HURT = r"(?:hits?|hitting|beats?|beating|kicks?|kicking|chokes?|choking|slaps?|punch(?:es)?|shoves?|burns?|molests?|touch(?:es)?|hurts?|rapes?|abuses?)"
GONE = r"(?:gone|dead|not here|not around|out of the picture|out of the way)"

_FAMILIES: dict[str, tuple[list[str], list[str]]] = {
    "passive_ideation": (
        [
            r"\b(?:everyone|everybody|the\s+world)\s+(?:would|\'d|will)\s+be\s+better\s+(?:off\s+)?(?:without\s+(?:me|them|him|her)\b|$|[.,!]|\s+tbh|\s+honestly)",
            r"\bthink\w*\s+(?:about|of)\s+(?:joining|being\s+with)\s+(?:her|him|them|my\s+\w+)\b",
            r"\bno\s+reason\s+to\s+(?:stick|stay|be)\s+(?:around|here)\b",
            r"\bbetter\s+off\s+without\s+(?:them|him|her)\b",
            r"\bwill\s+be\s+with\s+(?:him|her|them|god|jesus|the\s+lord|my\s+\w+)\s+soon\b",
            r"\b(?:hop|wish|pray)\w*\s+(?:for\s+)?" + near(50) + r"\b(?:semi|truck|bus|train|plane|car|accident|crash)\w*\b" + near(40) + r"\b(?:drift|hit|crash|swerve|end|take\s+me|into\s+my|my\s+lane|over)",
            r"\b(?:hop|wish|pray)\w*\s+(?:for\s+)?(?:an?\s+)?(?:accident|crash|heart\s+attack|aneurysm|something\s+(?:bad|fatal))\b",
            r"\b(?:god|he|the\s+lord|jesus|someone|something|it)\s+(?:would\s+|could\s+|will\s+|to\s+)?(?:just\s+)?take\s+me\b" + near(40) + r"\b(?:sleep|home|away|now|already|instead)|\btake\s+me\s+in\s+my\s+sleep\b",
            r"\b(?:not|don'?t|dont|didn'?t|didnt|never|won'?t|wont)\s+wak(?:e|ing)\s*(?:up)?\b",
            r"\b(?:stopped|stop)\s+existing\b|\bonly\s+way\s+(?:out|to\s+stop|to\s+make\s+it\s+stop)\b|\bwasn'?t\s+(?:supposed|meant)\s+to\s+(?:be\s+here|exist|be\s+born)",
            r"\bsave\s+(?:everyone|everybody|them|my\s+\w+)\s+(?:the|from)\s+(?:hassle|trouble|pain|burden|money|grief)",
            # wishing not to exist, to disappear, not to wake up
            rf"\bwish(?:ed|ing)?\s+{FIRST}?\s*(?:could|would|was|were|had)?\s*(?:just\s+)?(?:disappear|vanish|die|"
            r"not (?:exist|be here|be alive|wake up)|stop existing|never (?:been born|wake up|existed)|"
            r"fall asleep (?:and|&) not|sleep forever|be gone|wasn'?t (?:here|alive|born)|"
            r"could just (?:go|fade)|would just give out|would stop)",
            r"\b(?:don'?t|do not|didn'?t|did not)\s+(?:really\s+)?(?:want|wanna|wish)\s+to\s+"
            r"(?:be (?:here|alive|around)|exist|wake up|live|survive|keep (?:living|existing|going)|go on|"
            r"see (?:tomorrow|another)|make it)\b",
            r"\b(?:want|wanna|need|going)\s+to\s+(?:stop existing|not exist|cease to exist|disappear forever|"
            r"rest forever|sleep forever|be gone|fade away|stop being)\b",
            r"\bstop existing\b|\bcease to exist\b|\bnot wake up\b|\bnever wake up\b|\bnot waking up\b",
            # the wish to stop: to rest, pause or be switched off for good
            r"\b(?:rest|a\s+break|a\s+pause)\s+from\s+(?:living|life|being\s+alive|existing)\b",
            r"\bbetter off\s+(?:without me|with me (?:\W*|just\W*)gone|if i (?:was|were|wasn'?t|weren'?t|"
            r"died|disappeared|was gone|were gone|didn'?t exist)|dead|me gone)",
            r"\b(?:everyone|everybody|they|my (?:family|kids|husband|wife|parents|daughter|son)|"
            r"the world)\b" + near(40) + r"\b(?:better|cleaner|easier|lighter|happier)\s+(?:off\s+)?"
            r"(?:without me|with me gone|if i\b|once i'?m gone|when i'?m gone)",
            r"\b(?:easier|better|simpler)\s+for\s+(?:everyone|everybody|them|all of us|my family)\s+if\s+"
            + near(25) + r"\b(?:wasn'?t|weren'?t|didn'?t exist|disappeared|was gone|were gone|"
            r"not around|gone|died)",
            r"\b(?:wouldn'?t|would not|won'?t)\s+(?:be|have to be)\s+(?:a\s+)?burden",
            r"\bburden\s+(?:much\s+)?longer\b|\bno longer\s+(?:be\s+)?a\s+burden\b",
            r"\b(?:tired|exhausted|sick)\s+of\s+(?:living|being alive|existing|life|waking up|being here)\b",
            r"\b(?:no|see no|don'?t see (?:a|the|any)|what'?s the|whats the|what is the)\s+(?:point|reason)\s+"
            r"(?:in|to|of|for)\s+(?:living|life|being alive|going on|waking up|being here|staying|"
            r"keep(?:ing)? going|any of it|me)\b",
            rf"\b(?:keep|kept)\s+hoping\s+{FIRST}?\s*(?:get|got|don'?t wake|die|just go|never)",
            r"\bhop(?:e|ing)\s+(?:i|the plane|the car|a (?:truck|bus|car))\s+(?:get\s+\w+\s+|just\s+)?"
            r"(?:don'?t wake|never wake|die|crash|hits? me|get sick and)",
            r"\b(?:wouldn'?t|would not)\s+(?:mind|care)\s+if\s+(?:i|a\s+\w+|something|the plane)\s+"
            r"(?:died|didn'?t wake|never woke|hit me|crashed|got hit|just ended)",
            # hoping the body gives out on its own
            r"\b(?:heart|body|lungs)\s+would\s+(?:just\s+)?(?:give\s+out|stop|quit|fail)\b",
            r"\b(?:i'?m|i am|i feel|feeling|been)\s+(?:so\s+|really\s+|kinda\s+)?(?:suicidal|passively suicidal)\b",
            r"\b(?:i'?ve been|i have been|i'?m|i am|been)\s+having\s+(?:some\s+|more\s+|really\s+)?"
            r"(?:si|suicidal|dark thoughts about (?:dying|not being)|thoughts (?:of|about) (?:dying|death|"
            r"not being here|ending))\b",
            r"\bmy (?:si|suicidal (?:thoughts|ideation))\b",
            r"\bwant(?:s|ed|ing)?\s+(?:to\s+)?(?:die|be dead)\b|\bwanna die\b|\brather be dead\b",
            r"\b(?:not|never)\s+(?:going to|gonna)\s+(?:be around|be here|make it)\s+(?:much\s+longer|for\s+long|"
            r"to see)",
            r"\bwould be (?:easier|better) (?:if|to) (?:i )?(?:just )?(?:die|not wake|disappear|wasn'?t)",
        ],
        [
            r"\bso\s+tired\s+of\s+(?:carrying|holding|fighting|pretending)\b|\bweight\s+on\s+(?:them|everyone|my\s+\w+)\b|\bdisappearing\b",
            r"\bcan'?t\s+(?:do|take|keep doing|handle|bear)\s+(?:this|it|any of this|life)\s+"
            r"(?:anymore|any more|any longer|much longer)\b",
            r"\b(?:i'?m|i am)\s+(?:done|finished)\s+(?:with\s+(?:everything|life|it all|all of it|trying)|fighting)\b",
            r"\bwhat'?s the point\b|\bno point anymore\b|\bno way out\b|\bno future\b|\bcan'?t see a future\b",
            r"\b(?:i'?m|i am|feel like)\s+(?:just\s+)?a\s+burden\b|\bburden (?:to|on) (?:everyone|everybody|my)",
            r"\b(?:keep|keeps|keeping)\s+me\s+(?:here|alive|going)\b",
            r"\bwant(?:ed)?\s+(?:it|everything|it all|this)\s+(?:all\s+)?to\s+(?:stop|end|be over)\b",
            r"\b(?:so|really|just)\s+tired\b" + near(30) + r"\b(?:of everything|all the time|of being)",
            r"\bhopeless\b|\bworthless\b|\bempty inside\b|\bnumb\b|\bi'?m not ok(?:ay)?\b",
            r"\bdisappear\b|\bnot be around\b|\bwasn'?t around\b|\bweren'?t around\b",
            r"\bi hate (?:myself|my life|being alive)\b|\bdon'?t deserve to (?:live|be here|be alive)\b",
            r"\bwish\w*\s+(?:it|this|everything)\s+would\s+(?:just\s+)?(?:end|stop)\b",
            r"\bsuicid\w*|\bsi\b",
        ],
    ),
    "active_ideation": (
        [
            r"\b(?:what|how\s+much|how\s+many)\b" + near(30) + r"\bwould\s+do\s+it\b|\bplanning\s+(?:the\s+)?(?:timing|when|how|my\s+exit|it\s+out)\b",
            r"\b(?:doing|do)\s+it\s+(?:tonight|tomorrow|this\s+weekend|soon)\b",
            r"\b(?:googl\w*|search\w*|typing|typed|look\w*\s+up|read(?:ing)?\s+about)\s+(?:up\s+)?(?:ways|methods|how\s+(?:long|much|many)\s+(?:it\s+takes|would))\b",
            r"\bjust\s+end\s+it\b|\bhow\s+(?:i'?d|i\s+would|i\s+could|i'?ll|i\s+will)\s+do\s+it\b|\bthinking\s+about\s+how(?=\s*(?:and|,|\.|$))",
            r"\bstopped\s+pretending\s+(?:i'?m|im|i\s+am)\s+(?:going|gonna)\s+to\s+get\s+better\b|\b(?:running|ran|go|going)\s+(?:through|over)\s+how\b",
            rf"\b(?:kill(?:ing)?|hang(?:ing)?|shoot(?:ing)?|drown(?:ing)?|off(?:ing)?)\s+{ME}\b|\bkms\b|\bunaliv\w*",
            r"\b(?:end(?:ing)?|take|taking|took)\s+(?:my|their|his|her)(?:\s+own)?\s+life\b",
            r"\b(?:end|ending)\s+(?:it\s+all|it\s+tonight|it\s+for\s+good|everything|things|my\s+pain\s+for\s+good)\b",
            r"\b(?:ways?|how|means)\s+to\s+(?:make\s+(?:it|everything|the pain)\s+(?:all\s+)?stop|end\s+it|"
            r"not wake up|die|do it)\b",
            r"\bdoing\s+it\s+myself\b|\bdo\s+it\s+myself\b",
            rf"\b{FIRST}\s+(?:keep|kept)\s+thinking\s+about\s+(?:doing\s+it|how\s+(?:i'?d|to|i would)|dying|"
            r"death|ending|ways|the\s+(?:bridge|pills|gun|rope))",
            r"\bthink\w*\s+(?:about|of)\s+(?:ending\s+(?:it|things|my)|killing|suicide|dying|not\s+being\s+here)\b",
            r"\b(?:until|till|til)\s+my\s+(?:body|heart)\s+(?:just\s+)?(?:quits|gives\s+out|stops|shuts\s+down|fails)\b",
            r"\bdon'?t\s+want\s+to\s+(?:get\s+better|recover|be\s+saved|be\s+stopped)\b",
            r"\bnot\s+(?:trying|going)\s+to\s+recover\b|\bdoing\s+it\s+on\s+purpose\s+now\b",
            r"\b(?:i'?m|i am)\s+(?:going|gonna)\s+to\s+(?:do\s+it|end\s+it|go\s+through\s+with\s+it)\b",
            r"\b(?:suicide|suicidal)\s+(?:plan|attempt|again|thoughts\s+are\s+back|ideation\s+is\s+back)\b",
            r"\bforgive\s+me\s+for\s+(?:doing\s+it|what\s+i'?m\s+(?:about|going))|\btake\s+me\s+(?:home|away)\s+(?:now|tonight|soon)",
        ],
        [
            r"\bwant\s+out\b|\bout\s+out\b",
            r"\bmake\s+(?:it|everything|the\s+pain|this)\s+(?:all\s+)?stop\b",
            r"\bdon'?t\s+(?:want\s+to|wanna)\s+(?:be\s+)?(?:here|alive)\b",
            r"\bcalm\s+(?:i\s+feel\s+)?about\s+it\b|\bscares\s+me\s+how\s+calm\b",
            r"\bthinking\s+about\s+(?:doing|it)\b",
        ],
    ),
    "plan_or_means": (
        [
            rf"\bhow\s+many\s+(?:{PILLS}\s+)?(?:it\s+)?would\s+(?:it\s+)?take\b",
            r"\b(?:about|like|over|around|almost)?\s*\d{2,3}\s+(?:pills\s+|of\s+them\s+)?in\s+(?:a|an|my)\s+(?:\w+\s+)?(?:bottle|bag|jar|box|drawer|envelope)\b",
            r"\b(?:got|have|bought|picked\s+up|gathered)\s+(?:what|everything)\s+i\s+need\b",
            r"\bknow\s+(?:exactly\s+)?(?:which|what)\s+(?:tree|bridge|building|spot|place|exit|beam|overpass|cliff)\b",
            r"\b(?:which|what|my)\s+(?:of\s+my\s+)?(?:meds|pills|medications?)\b" + near(50) + r"\b(?:would\s+be\s+enough|are\s+lethal|lethal\s+together|is\s+enough|would\s+do\s+it)",
            r"\b(?:set(?:ting)?\s+aside|putting\s+aside|skipping\s+and\s+saving)\s+(?:my\s+)?(?:doses|pills|meds|tablets)\b|\blethal\s+together\b",
            r"\b(?:picked\s+up|bought|got|ordered)\s+(?:a|some|the)\s+(?:rope|noose|cord|chain)\b|\b(?:checked|tested)\s+the\s+(?:beam|rafter|knot|hook|rope)\b|\bit'?ll\s+hold\b",
            r"\b(?:car|engine)(?:'s|\s+is)?\s+running\b" + near(60) + r"\bgarage\b|\bgarage\b" + near(60) + r"\b(?:car|engine)(?:'s|\s+is)?\s+running\b|\bgarage\s+door\s+(?:is\s+)?(?:down|shut|closed)\b" + near(60) + r"\brunning",
            # pills saved, counted, stockpiled or lined up
            r"\b(?:stockpil\w+|hoard\w*|stash\w*|holding\s+back|sav(?:ed|ing)\s+up|been\s+saving|saving|saved|collect\w+|"
            r"count(?:ed|ing)|lined\s+up|squirrel\w*|hid(?:ing|den)?)\b" + near(50) + rf"\b{PILLS}",
            rf"\b{PILLS}\b" + near(50) + r"\b(?:saved|stockpiled|hoarded|stashed|lined\s+up|counted|in\s+a\s+"
            r"(?:bag|box|jar|drawer)|i\s+(?:didn'?t|haven'?t|never)\s+take|i\s+didn'?t\s+take)",
            r"\bevery\s+(?:pill|tablet|dose)\s+i\s+(?:didn'?t|haven'?t|never)\b|\bcounted\s+them\b",
            rf"\b(?:enough|all\s+(?:my|the))\s+{PILLS}\s+(?:to|for|saved|now)\b|\benough\s+(?:saved\s+)?(?:up\s+)?to\s+"
            r"(?:do\s+it|end\s+it|not\s+wake)|\bfinally\s+have\s+enough\b",
            r"\b(?:90|60|three|3|two|2)[- ]?(?:day|month)s?\s+supply\b" + near(80) + r"\b(?:at\s+once|not\s+(?:going\s+to|gonna)\s+space)",
            r"\bnot\s+(?:going\s+to|gonna)\s+space\s+them\b|\blethal\s+dose\b|\bhow\s+many\s+(?:\w+\s+)?(?:would|does\s+it)\s+"
            r"(?:it\s+)?take\b",
            # a firearm readied
            r"\b(?:clean(?:ed|ing)|load(?:ed|ing)|bought|got|picked\s+up|took\s+out|holding|staring\s+at|"
            r"unlocked)\s+(?:it|a|the|my|dad'?s|his)?\s*(?:gun|pistol|rifle|shotgun|revolver|handgun|glock|"
            r"\.?\d{2}|safe)\b",
            r"\bloaded\s+it\b|\bcleaned\s+it\b" + near(40) + r"\b(?:loaded|nightstand|staring)",
            r"\b(?:gun|pistol|rifle|shotgun|revolver|handgun)\b" + near(40) + r"\b(?:nightstand|in\s+my\s+(?:lap|mouth|hand)|"
            r"loaded|staring\s+at|on\s+the\s+(?:table|bed|seat))",
            # rope, heights, car, blades, other means
            r"\b(?:bought|got|tied|have|found)\s+(?:a|the)\s+(?:rope|noose|cord)\b|\b(?:noose|tested\s+the\s+(?:beam|knot|rope))\b",
            r"\b(?:rope|belt|cord)\b" + near(40) + r"\b(?:beam|closet\s+rod|garage|strong\s+enough|hold\s+my\s+weight)",
            r"\bhow\s+far\s+(?:down|the\s+drop)\b|\b(?:stood|standing|sat|sitting)\s+(?:there|on|at)\s+(?:the\s+)?"
            r"(?:edge|ledge|railing|bridge|roof|overpass|cliff)" + near(60) + r"\b(?:long|thinking|again|tonight|today)",
            r"\b(?:garage|car)\b" + near(40) + r"\b(?:engine\s+(?:running|on)|hose|exhaust|door\s+closed)",
            r"\b(?:drive|driving|steer|swerve)\s+(?:into|off)\s+(?:a\s+tree|the\s+(?:wall|bridge|river|median|barrier)|"
            r"oncoming|a\s+(?:wall|pole|truck))",
            # a day chosen, a place booked, nobody to find them
            r"\b(?:picked|chose|chosen|set|have|got|decided\s+on)\s+(?:a|the|my)\s+(?:day|date|night|weekend)\b",
            r"\b(?:date|day)\s+(?:picked|chosen|set)\b|\btonight'?s?\s+(?:is\s+)?the\s+night\b|\bthis\s+is\s+the\s+(?:night|weekend)\b",
            r"\b(?:nobody|no\s+one|no-one)\s+(?:will|would|is\s+going\s+to|gonna)\s+find\s+me\b",
            r"\bbooked\s+(?:a|the)\s+(?:hotel|motel|room|cabin|airbnb)\b" + near(80) + r"\b(?:cash|alone|bringing|"
            r"nobody|no\s+one|one\s+way|last)",
            r"\bbringing\s+what\s+i\s+need\b|\bhave\s+(?:a|the)\s+plan\b|\bmade\s+(?:a|the)\s+plan\b|"
            r"\b(?:researched|looked\s+up|googled)\s+(?:how|methods|doses|ways|lethal|how\s+many)\b",
            r"\b(?:blade|razor|knife)\b" + near(40) + r"\b(?:ready|waiting|in\s+my\s+(?:pocket|drawer|bag)|tonight)",
            r"\bfigured\s+out\s+(?:how|the\s+way|a\s+way)\b|\bi\s+(?:have|know)\s+(?:a|the)\s+way\b",
        ],
        [
            r"\bdone\s+the\s+math\b|\bhardware\s+store\b|\bin\s+my\s+trunk\b",
            r"\b(?:bridge|overpass|rooftop|roof|ledge|train\s+tracks|tracks|cliff)\b",
            r"\b(?:gun|pistol|rifle|shotgun|revolver|handgun|firearm)s?\b",
            r"\bwhen\s+(?:my\s+)?(?:husband|wife|partner|he|she)\s+has\s+(?:her|him|the\s+kids|the\s+baby)\b",
            r"\bpaid\s+cash\b|\brelieved\b|\bat\s+peace\s+with\s+(?:it|my\s+decision)\b",
            r"\b(?:pills|meds|bottles?\s+of\s+\w+|sleeping\s+pills|painkillers)\b",
        ],
    ),
    "goodbye_or_final_arrangements": (
        [
            r"\bgiv(?:e|es|ing|en)\s+(?:all\s+)?(?:their|my|his|her)\s+(?:things|stuff|belongings|possessions)\s+away\b",
            r"\bgave\s+my\s+(?:cat|dog|pets?|bird|rabbit|switch|xbox|guitar)\s+(?:to|away)\b|\b(?:sent|gave|left|texted)\s+(?:\w+\s+){0,2}(?:all\s+)?my\s+passwords\b",
            r"\bbye\s+(?:everyone|all|guys|y\'?all|friends|world|forever)\b|\bdeleting\s+(?:everything|all\s+my|my\s+accounts?)\b",
            r"\blife\s+insurance\b" + near(60) + r"\b(?:clause|paid|beneficiar\w*|covers|checked|suicide)|\b(?:letter|note)s?\s+(?:is|are)\s+(?:in|on|under)\s+(?:the|my)\b",
            r"\btell\s+(?:her|him|them|my\s+\w+|everyone)\s+(?:i\'?m|im|i\s+am)\s+sorry\b",
            r"\bletters?\s+(?:to|for)\s+(?:my|each\s+of\s+my|everyone)\b" + near(40) + r"\b(?:to\s+open|when|after|in\s+the\s+mail|monday|tomorrow)",
            r"\b(?:written|wrote)\s+(?:everyone|each\s+of\s+them|all\s+of\s+them)\s+(?:their|a)\s+(?:letters?|notes?)\b|\bwritten\s+to\s+(?:the\s+people|everyone)\s+who\b",
            r"\b(?:don'?t|do\s+not|please\s+don'?t)\s+blame\s+(?:yourselves|yourself|anyone|each\s+other|urself)\b",
            r"\bgave\s+(?:all\s+)?my\s+(?:stuff|things|belongings|clothes|games)\s+away\b",
            r"\bguardian\b" + near(40) + r"\b(?:just\s+in\s+case|if\s+anything|when\s+i'?m)",
            r"\bso\s+(?:nobody|no\s+one)\s+(?:has|have|will\s+have)\s+to\s+(?:scramble|worry|figure|wonder|search)\b",
            r"\bgiv(?:e|es|ing|en)\s+away\s+(?:all\s+|most\s+)?(?:of\s+)?(?:my|his|her|their)\s+(?:things|stuff|belongings|"
            r"possessions|clothes|books|jewelry|games|plants|art|collection)",
            r"\bgave\s+(?:my\s+\w+|away)\s+(?:my|all\s+my)\s+(?:\w+\s+){0,2}(?:jewelry|ring|watch|coat|guitar|car|things|"
            r"stuff|games|books|plants|cat|dog|collection)",
            r"\b(?:rehom\w+|found\s+(?:a\s+)?(?:new\s+)?homes?\s+for|who\s+will\s+take)\s+(?:my|our)\s+"
            r"(?:cat|dog|pets?|bird|fish|rabbit)s?\b",
            r"\b(?:won'?t|will\s+not|wont)\s+need\s+(?:it|any\s+of\s+it|them|this|that|anything)\b" + near(30)
            + r"\b(?:where\s+i'?m\s+going|anymore|after|soon)",
            r"\bwhere\s+i'?m\s+going\b",
            r"\b(?:suicide|goodbye|farewell|last)\s+(?:note|letter|message|post|video)s?\b",
            r"\b(?:wrote|writing|written|left|finished|leaving)\s+(?:a\s+)?(?:notes?|letters?)\s+(?:to|for)\s+"
            r"(?:my|each\s+of\s+my|everyone|the)\b",
            r"\b(?:this\s+is|consider\s+this|so\s+this\s+is)\s+(?:my\s+)?goodbye\b|\bgoodbye\s+(?:everyone|all|"
            r"reddit|guys|friends|world|forever)\b|\bsay(?:ing)?\s+goodbye\s+(?:to\s+)?(?:everyone|you\s+all|"
            r"this\s+sub|my\s+(?:cat|dog|kids|pets?))\b|\bsaid\s+(?:my\s+)?goodbyes?\b",
            r"\b(?:won'?t|will\s+not|wont|am\s+not\s+going\s+to)\s+be\s+(?:on|at|around|here|there)\b" + near(30)
            + r"\b(?:tomorrow|after\s+(?:that|tonight|this)|much\s+longer|anymore|any\s+(?:call|more))",
            r"\b(?:tomorrow|monday|christmas|next\s+week|the\s+morning)\s+(?:isn'?t|is\s+not|won'?t)\s+(?:going\s+to\s+|gonna\s+)?"
            r"(?:happen|come)\s+for\s+me\b|\bwon'?t\s+(?:see|make\s+it\s+to)\s+(?:tomorrow|another|the\s+morning|"
            r"christmas|my\s+birthday)\b",
            r"\bby\s+the\s+time\s+(?:you|anyone|someone|people)\s+(?:read|see|find)s?\s+this\b",
            r"\b(?:when|after|once)\s+i'?m\s+(?:gone|dead|not\s+here)\b|\bbefore\s+i\s+(?:go|die|leave\s+for\s+good)\b"
            + near(30) + r"\b(?:want|wanted|need|needed)",
            r"\b(?:wanted|want|need(?:ed)?)\s+(?:someone|somebody|anyone|you|one\s+person)\s+to\s+know\b" + near(40)
            + r"\bbefore\b",
            r"\bthe\s+last\s+(?:thing|post|book|article)\s+i'?m\s+(?:going\s+to|gonna|ever\s+going\s+to)\b|"
            r"\bmy\s+last\s+(?:night|day|post|message|week)\b",
            r"\bso\s+(?:nobody|no\s+one|my\s+\w+\s+(?:doesn'?t|don'?t|won'?t))\s+(?:has\s+to|have\s+to|will\s+have\s+to|"
            r"needs?\s+to)\s+(?:deal|clean|sort|handle|find)",
            r"\b(?:put|putting|got|getting)\s+(?:my\s+)?affairs\s+in\s+order\b|\b(?:updated|wrote|made|"
            r"finished|signed)\s+(?:out\s+)?(?:my|a)\s+will\b" + near(120) + r"\b(?:lapse|goodbye|last|letters?|"
            r"passwords?|affairs|gave|won'?t|no\s+more|peace)",
            r"\b(?:transfer|accounts?|passwords?|beneficiar\w+|life\s+insurance)\b" + near(40) + r"\b(?:set\s+up|"
            r"sorted|in\s+order|updated|written\s+down)\b" + near(40) + r"\b(?:can|will|so)\b",
            r"\bso\s+my\s+(?:wife|husband|kids|family|parents|sister|brother|partner)\s+can\s+(?:get\s+to|access|have)\s+"
            r"everything\b",
            r"\b(?:i'?ve|i\s+have)\s+made\s+(?:my\s+)?peace\b",
            r"\bi\s+won'?t\s+be\s+a\s+(?:problem|burden)\s+(?:for\s+\w+\s+)?(?:much\s+longer|anymore|after)",
            r"\bsorry\s+for\s+what\s+i'?m\s+about\s+to\b|\bplease\s+(?:take\s+care\s+of|look\s+after)\s+(?:my|the)\s+"
            r"(?:kids|cat|dog|mom|family)\s+(?:for\s+me|when|after)",
        ],
        [
            r"\bgiven\s+away\b|\bpapers\s+in\s+order\b|\bnot\s+afraid\b|\blove\s+(?:u|you)\s+all\b|\bkeep\s+it\s+forever\b|\bnot\s+going\s+to\s+be\s+there\b",
            r"\bgave\s+\w+\s+my\s+\w+|\bgot\s+all\s+my\s+\w+|\bover\s+it\b|\b(?:you|u)\s*(?:guys|all)?\s+(?:were|are)\s+the\s+only\b|\bwon'?t\s+be\s+needing\b",
            r"\b(?:squared\s+away|in\s+order|taken\s+care\s+of)\b" + near(30) + r"\bbefore\b|\bcleaned\s+out\s+my\s+(?:desk|locker|room|office)\b|\bthank\s+you\s+all\s+for\b|\bafter\s+today\b",
            r"\b(?:updated|wrote|made|finished|signed)\s+(?:out\s+)?(?:my|a)\s+will\b",
            r"\b(?:thank\s+you|thanks)\s+for\s+(?:trying|everything|being\s+there|always)\b|\byou\s+(?:all\s+)?"
            r"were\s+the\s+only\b",
            r"\b(?:feel|feeling|i'?m|i\s+am)\s+(?:so\s+)?(?:calm|calmer|lighter|at\s+peace|relieved)\b",
            r"\bno\s+more\s+(?:lying|pain|hurting|pretending|fighting)\b|\bsorry\s+(?:everyone|mom|dad|to\s+everyone)\b",
            r"\bsaying\s+goodbye\b|\bgoodbye\b|\blast\s+time\b|\b(?:tell|let)\s+(?:them|her|him|my\s+\w+)\s+"
            r"(?:know\s+)?i\s+love",
            r"\bgiving\s+away\b|\bgave\s+away\b|\bcleaned\s+(?:the\s+whole|my|the)\s+(?:apartment|house|room|place)\b",
            # settling accounts: debts, confessions, endings announced to everyone
            r"\b(?:paid|paying)\s+(?:back|off)\s+(?:the|my|all|what|everyone|everything)\b|\b(?:confessed|told\s+(?:them|her|him))\s+everything\b",
        ],
    ),
    "self_harm": (
        [
            r"\bhide\s+(?:the\s+)?(?:marks|cuts|scars|burns)\b|\b(?:getting|going)\s+deeper\b|\bdeeper\s+each\s+time\b",
            r"\bi\s+cut\b(?!\s+(?:back|down|out|off|ties|my\s+hair|it|the|a|an|carbs|sugar|class|corners|loose|costs))",
            r"\b(?:towel|tourniquet|gauze)\s+(?:on|around|pressed\s+to)\s+my\b|\bneeds?\s+stitches\b",
            r"\b(?:the\s+)?(?:lighter|razor|blade|compass|scissors|rubber\s+band|sharpener)\s+thing\b|\bwent\s+deeper\b",
            r"\b(?:scratch\w*|cut\w*|burn\w*|pick\w*|dig\w*)\s+(?:at\s+)?my\s+(?:fore)?arms?\b" + near(30) + r"\b(?:until|till|again|bleed)|\buntil\s+(?:they|it|i)\s+(?:bleed|bled|bleeds)\b",
            r"\b(?:cut|cutting|cuts|burn(?:ed|ing|t)?|scratch(?:ed|ing)?|carv(?:ed|ing)|hurt(?:ing)?|harm(?:ing|ed)?|"
            r"punish(?:ed|ing)?|starv(?:e|ed|ing)|bit(?:e|ing)?|hit(?:ting)?|pinch(?:ed|ing)?)\s+"
            rf"(?:{SELVES}|(?:my|their|his|her)\s+(?:(?:fore)?arms?|legs?|thighs?|wrists?|stomach|skin|body|hips?|face))\b",
            r"\b(?:started|been|keep|back\s+to|relapsed\s+(?:on|into|with)?|urge\s+to)\s+(?:cutting|burning|"
            r"self[- ]?harm\w*|sh)\b|\bcut\s+(?:again|deeper|too\s+deep)\b|\bcutting\s+(?:again|where)\b",
            r"\b(?:clean|free)\s+(?:from|of)\s+(?:cutting|self[- ]?harm|sh)\b" + near(60) + r"\b(?:until|broke|relapsed|"
            r"last\s+night|again|today|ruined)",
            r"\bself[- ]?harm(?:ing|ed)?\b" + near(30) + r"\b(?:again|last\s+night|tonight|today|relapse)|\bi\s+self[- ]?harm",
            r"\b(?:hit(?:ting)?|bang(?:ed|ing)?|slam(?:med|ming)?)\s+my\s+head\s+(?:against|on|into)\b",
            r"\b(?:punch(?:ed|ing)?|hit(?:ting)?)\s+(?:the|a)\s+walls?\s+(?:until|till|til)\b|\buntil\s+(?:my\s+)?"
            r"(?:knuckles|hands?|skin|it)\s+(?:split|bled|bleed|bleeds|broke|cracked)\b",
            r"\b(?:until|till|til)\s+(?:it\s+bleeds|i\s+bleed|i\s+saw\s+spots|it\s+bled)\b",
            r"\bwhat\s+i\s+(?:keep\s+doing|do|did|have\s+been\s+doing)\s+to\s+my\s+(?:arms?|legs?|body|wrists?|"
            r"thighs?|skin|self)\b",
            r"\b(?:hoodies?|long\s+sleeves|sweaters?|jeans)\s+(?:in|all|during|every\s+day\s+in)\s+(?:the\s+)?"
            r"(?:july|august|june|summer|the\s+heat|\d{2,3}\s*degree)",
            r"\bhid(?:e|ing)?\s+(?:the|my)\s+(?:scars|cuts|marks|burns|wrists|arms)\b|\b(?:fresh|new)\s+(?:cuts|scars|"
            r"burns|marks)\b|\b(?:cuts|scars|burns|marks)\s+on\s+my\s+(?:arms?|legs?|thighs?|wrists?|stomach)",
            r"\b(?:the|my)\s+(?:blade|razor)s?\b" + near(40) + r"\b(?:drawer|again|hidden|kept|keep|box|back\s+out)",
            r"\brelapsed\b" + near(40) + r"\b(?:cutting|blade|razor|burning|self[- ]?harm|sh)\b",
        ],
        [
            r"\blong\s+sleeves\b|\b(?:new|fresh)\s+ones?\b|\bold\s+ones\b|\bdid\s+it\s+again\b",
            r"\b(?:blade|razor)s?\b|\bscars?\b|\bself[- ]?harm\w*|\bsh\b",
            r"\bpunish(?:ed|ing)?\s+(?:my\s+body|myself)\b|\bdeserve\s+(?:the\s+)?pain\b",
        ],
    ),
    "overdose_or_medical_now": (
        [
            r"\btook\s+(?:all|everything)\s+(?:the|my|in|of|from)\b|\bsoaking\s+(?:a|through\s+(?:a|my))\s+(?:pad|pads|towel|shirt)\b|\bclots?\s+(?:like|the\s+size)\b",
            r"\bstill\s+bleeding\b|\bbleeding\s+through\b",
            r"\b(?:lips|skin|face|fingers)\s+(?:look\s+|looks\s+|are\s+|is\s+)?(?:kind\s+of\s+|kinda\s+)?(?:blue|bluish|gray|grey|grayish|greyish)\b",
            r"\b(?:fifth|bottle\s+of\s+(?:wine|vodka|whiskey|tequila)|\d+\s+(?:drinks|beers|shots))\b" + near(60) + rf"\b{PILLS}|\b{PILLS}\b" + near(60) + r"\b(?:fifth|bottle\s+of\s+(?:wine|vodka|whiskey|tequila)|\d+\s+(?:drinks|beers|shots))\b",
            r"\b(?:can'?t|cannot|cant)\s+(?:really\s+)?feel\s+my\s+(?:left\s+|right\s+)?(?:arm|legs?|face|hands?|side)\b",
            r"\b(?:took|taken|swallowed|downed|ate|chugged)\s+(?:all|the\s+(?:whole|rest)|a\s+(?:whole|bunch|handful|lot|"
            r"bottle|fistful)|like\s+\d+|about\s+\d+|\d+|every|too\s+many|a\s+bottle)\b" + near(30) + rf"(?:{PILLS}|of\s+them|them|it|bottle)",
            r"\b(?:took|swallowed)\s+['\"]?all\s+of\s+them\b|\bhow\s+many\s+i\s+(?:took|swallowed|had)\b",
            r"\bempty\s+(?:blister\s+packs?|pill\s+bottles?|bottles?\s+of\s+(?:pills|tylenol|meds))\b",
            # "OD'd", not "odd"
            r"\b(?:overdos(?:ed|ing)|od'd|od'?ing)\b" + near(40) + r"\b(?:just|now|tonight|ago|minutes?|hours?|"
            r"think|feel)|\bi\s+(?:just\s+)?(?:overdosed|od'd)\b",
            r"\b(?:bleeding|blood)\b" + near(30) + r"\b(?:won'?t|will\s+not|doesn'?t|isn'?t)\s+stop|\bsoaked\s+through\b|"
            r"\bcut\s+(?:way\s+)?too\s+deep\b",
            r"\bchest\b" + near(60) + r"\b(?:crush\w*|pressure|tight\w*|pain)\b" + near(80) + r"\b(?:left\s+arm|arm|jaw|"
            r"sweat\w*|short\s+of\s+breath|can'?t\s+breathe)",
            r"\b(?:can'?t|cannot)\s+(?:breathe|feel\s+my\s+(?:arm|legs?|face|hands?)|move\s+my\s+(?:arm|legs?|face))\b",
            r"\b(?:face|mouth|smile)\s+(?:is\s+)?(?:drooping|droopy)|\bslurr\w*\b" + near(60) + r"\b(?:took|pills|"
            r"drank|ago|can'?t)",
            r"\b(?:not|isn'?t|stopped|isnt)\s+breathing\b|\bturning\s+(?:blue|grey|gray)\b|\bunresponsive\b|"
            r"\bwon'?t\s+wake\s+up\b|\bcan'?t\s+wake\s+(?:him|her|them|my)\b",
            rf"\b(?:mixed|mixing|took)\s+(?:\w+\s+){{0,3}}{PILLS}\s+(?:with|and)\s+(?:alcohol|vodka|wine|booze|beer|"
            r"whiskey|drinks?)\b",
            r"\b(?:just|already)\s+(?:took|swallowed|drank)\b" + near(30) + rf"\b(?:{PILLS}|bleach|antifreeze|bottle)",
            r"\b(?:drank|swallowed)\s+(?:some\s+)?(?:bleach|antifreeze|drain\s+cleaner|poison)\b",
        ],
        [
            r"\b(?:half\s+an|an|a\s+few|a\s+couple(?:\s+of)?)\s+(?:hours?|minutes?|mins)\s+ago\b|\bstarting\s+to\s+feel\s+(?:sick|weird|sleepy)\b|\bdizzy\s+and\s+cold\b",
            r"\bchest\s+(?:is\s+)?(?:tight|hurts|pain|pressure)\b|\bheart\s+(?:keeps\s+)?(?:skipping|pounding|racing|fluttering)\b|\b(?:tingly|tingling)\b|\bpurg\w*\s+(?:like\s+)?\d+\s+times\b",
            r"\broom\s+(?:keeps\s+)?(?:tilting|spinning)\b|\bwords\s+(?:are\s+)?(?:coming\s+out\s+)?(?:weird|slurred|wrong)\b|\bfloppy\b|\bgrunting\b|\bbreathing\s+(?:weird|funny|fast|strange)\b|\bwon'?t\s+(?:take|drink)\s+(?:the\s+)?bottle\b",
            r"\b(?:lightheaded|light-headed|dizzy|faint(?:ing)?|ears?\s+(?:are\s+|is\s+)?ringing|vomiting\s+blood|"
            r"can'?t\s+stay\s+awake|so\s+sleepy|passing\s+out|heart\s+(?:is\s+)?racing)\b",
            r"\b\d+\s*(?:min|mins|minutes|hours?|hrs?)\s+ago\b|\bpoison\s+control\b|\bnarcan\b",
        ],
    ),
    "violence_danger_now": (
        [
            r"\b(?:husband|wife|boyfriend|girlfriend|partner|son|daughter|father|dad|mother|mom|brother|ex|he|she)\b" + near(30) + r"\b(?:hits|hit|pushed|shoved|choked|strangled|beats|beat|slapped|kicked|punched|threw)\s+(?:her|him|them)\b",
            r"\b(?:typing|hiding|hidden|texting)\s+(?:this\s+)?(?:from|in)\s+(?:the|my)\s+(?:\w+\s+)?(?:closet|bathroom|car|basement|attic)\b",
            r"\bif\s+i\s+(?:try\s+to\s+)?(?:leave|go|tell|call|run)\b" + near(20) + r"\b(?:he|she|they)(?:'ll|\s+will|'d|\s+would)\b",
            r"\b(?:choked|strangled|hit|punched|slapped|kicked|shoved|beat|hurt|grabbed|pushed|threw|dragged|"
            r"raped|attacked|pinned)\s+me\b",
            r"\b(?:hits|beats|chokes|kicks|slaps|punches|shoves|hurts|rapes|threatens)\s+me\b|\b(?:is|are)\s+"
            r"(?:abusing|hurting|hitting|beating)\s+me\b",
            r"\b(?:scared|afraid|terrified)\s+(?:to\s+go\s+(?:home|back)|for\s+my\s+(?:life|safety)|(?:he|she|they)"
            r"(?:'ll|\s+will|\s+is\s+going\s+to|'s\s+going\s+to|\s+might)\s+(?:kill|hurt|find|come))",
            r"\b(?:banging|pounding|kicking|knocking|bang|pound)\s+(?:on\s+)?(?:the|my)\s+door\b",
            r"\b(?:locked|hiding|hid|barricaded)\s+(?:myself\s+)?(?:in\s+(?:the|my|a)\s+(?:bathroom|bedroom|closet|car|"
            r"room|basement))\b|\btyping\s+(?:this\s+)?(?:on\s+my\s+\w+\s+)?(?:in|from)\s+the\s+(?:bathroom|closet|car)\b",
            r"\bwon'?t\s+let\s+me\s+(?:leave|go|out)\b|\byou'?re\s+not\s+going\s+anywhere\b|\b(?:took|has|hid)\s+"
            r"(?:the|my\s+car)\s+(?:car\s+)?(?:keys|phone)\b",
            r"\bthreat(?:ened|ening|ens)\s+to\s+(?:kill|hurt|shoot|stab|take\s+the\s+kids)\b",
            r"\b(?:said|says|swore)\s+(?:he|she|they)(?:'ll|\s+will|\s+would|'d)\s+(?:kill|hurt|finish|end|get)\b|"
            r"\bfinish\s+what\s+(?:he|she|they)\s+started\b",
            r"\b(?:driving|drove|drives|walking|walked)\s+(?:past|by)\s+my\s+(?:house|apartment|place|work|building)\b|"
            r"\b(?:outside|parked\s+outside)\s+my\s+(?:house|apartment|door|window|work|building)\b",
            r"\b(?:knows|found\s+out|found)\s+(?:where\s+i\s+live|my\s+(?:new\s+)?address)\b|\bmy\s+(?:new\s+)?address\s+"
            r"(?:written|on\s+it)\b|\bfollow(?:ed|ing|s)\s+me\s+(?:home|to)\b",
            r"\b(?:punched|kicked|smashed)\s+(?:a\s+hole\s+in\s+)?the\s+wall\s+(?:next\s+to|by|beside|inches\s+from)\s+"
            r"(?:my|me)\b",
            r"\b(?:gun|knife)\s+(?:at|to|against)\s+(?:me|my|her|his)\b|\b(?:waved|pointed|held)\s+(?:a|his|her|the)\s+"
            r"(?:gun|knife)\b",
            r"\b(?:abuser|attacker|rapist|stalker)\b" + near(60) + r"\b(?:next\s+room|moved\s+back|is\s+here|here\s+now|"
            r"released|out\s+early|outside|found\s+me|in\s+the\s+house)",
            r"\bhe'?s\s+(?:downstairs|upstairs|in\s+the\s+next\s+room|outside)\b" + near(60) + r"\b(?:drinking|drunk|"
            r"waiting|said|yelling)",
        ],
        [
            r"\bthrew\s+the\s+\w+|\bdrinking\s+since\b|\btook\s+my\s+(?:phone|keys)\b",
            r"\b(?:scared|afraid|terrified)\s+(?:of\s+(?:him|her)|to\s+be\s+(?:home|alone))\b|\bnowhere\s+(?:else\s+)?to\s+go\b|"
            r"\bdon'?t\s+have\s+anywhere\s+(?:else\s+)?to\s+go\b",
            r"\bi'?m\s+alone\s+(?:here\s+)?tonight\b|\brestraining\s+order\b|\bprotective\s+order\b|\bstrangulation\b",
            r"\bdomestic\s+violence\b|\b(?:abusive|violent)\s+(?:husband|partner|boyfriend|ex|dad)\b|\bmy\s+abuser\b",
        ],
    ),
    "child_at_risk": (
        [
            r"\b(?:don\'?t|dont|do\s+not)\s+trust\s+myself\b|\bholding\s+(?:her|him|them|the\s+baby)\s+under\b",
            r"\b(?:alone|by\s+(?:him|her)self|by\s+themselves)\b" + near(40) + r"\bsince\s+(?:this\s+morning|yesterday|last\s+night|friday|monday|tuesday|wednesday|thursday|saturday|sunday)",
            r"\b(?:bruises?|marks?|welts?)\b" + near(30) + r"\b(?:upper\s+arms?|both\s+arms|neck|face|fingerprints?|belt|hand\s*prints?)",
            r"\b(?:alone|by\s+themselves|home\s+alone)\s+(?:since|for)\s+(?:friday|monday|tuesday|wednesday|thursday|saturday|sunday|days|\d+\s+days|two\s+days|three\s+days|the\s+weekend)",
            r"\b(?:comes|came|sneaks|snuck|gets)\s+into\s+(?:my|her|his|their)\s+(?:room|bed)\s+at\s+night\b|\bnot\s+allowed\s+to\s+tell\b|\b(?:says|said)\s+if\s+(?:i|she|he)\s+tells?\b",
            r"\b(?:safer|better\s+off|happier)\s+(?:in\s+heaven|with\s+god|dead|with\s+the\s+angels)\b",
            r"\b(?:standing|climbing|sitting)\s+on\s+the\s+(?:balcony\s+)?(?:railing|ledge|window\s*sill)\b|\b(?:gun|handgun|pistol|knife|pills|needles?|meth|fentanyl)\b" + near(40) + r"\bwithin\s+(?:arm'?s\s+)?reach\b",
            r"\blocked\s+out\b[^.!\n]{0,60}\b(?:balcony|freezing|cold|crying|night|since)",
            rf"\b(?:locked|left|shut|tied|kept)\s+(?:my|the|her|his|their|a|our)?\s*{KID}\b" + near(20) + r"\b(?:in|out|on)\s+"
            r"(?:the|a|his|her)\s+(?:closet|balcony|car|room|basement|garage|cold|yard|cage|bathroom|crate)",
            rf"\b(?:marks?|bruises?|welts?|burns?|cuts?|handprints?)\s+on\s+(?:his|her|their|the\s+kid'?s|my\s+{KID}'?s?)\s+"
            r"(?:arms?|face|back|legs?|neck|bottom|body|cheek|wrists?)",
            rf"\b{KID}\b" + near(60) + r"\b(?:said|says|told\s+(?:me|her|him|us)|texted|whispered|wrote)\b" + near(60)
            + r"\b(?:hurts|hits|touches|beats|does\s+things|won'?t\s+stop|is\s+scared|come\s+get\s+me|sleep\s+with|"
            r"barricade|locks\s+(?:her|him)|makes\s+(?:her|him|me)|secret)",
            r"\b(?:can\s+(?:u|you)|please)\s+come\s+get\s+me\b",
            r"\b(?:boyfriend|bf|stepdad|stepfather|uncle|husband|dad|father|mom|mother|grandpa|coach|brother|"
            r"cousin|babysitter)\b" + near(40) + rf"\b{HURT}\s+(?:him|her|them|(?:my|his|her|their|the)\s+{KID})\b",
            r"\b(?:abused|molested|raped|hurt)\s+me\b" + near(120) + rf"\b(?:my\s+{KID}|she|he)\s+(?:is|are|was|will\s+be)\s+"
            r"(?:there|with\s+him|staying|at)",
            r"\b(?:shook|shaking|shake|hurt|smother|drown|hit)\s+(?:the|my|her|him)?\s*(?:baby|infant|newborn|"
            r"son|daughter|lo|kids?)\b" + near(40) + r"\b(?:scared|afraid|almost|want|urge|can'?t\s+stop|snap)",
            r"\b(?:scared|afraid|terrified)\s+i(?:'ll|\s+will|\s+might|\s+could|'m\s+going\s+to)\s+(?:hurt|shake|"
            r"hit|snap\s+(?:at|and\s+hurt)|drop)\s+(?:the|my|her|him)",
            rf"\b{KID}\b" + near(60) + r"\b(?:home\s+alone\s+for\s+(?:days|a\s+week)|hasn'?t\s+(?:eaten|been\s+fed)|"
            r"no\s+food|locked\s+out|crying\s+for\s+hours|screaming\s+for\s+hours|in\s+the\s+cold)",
            r"\bbarricad\w+\s+(?:her|his|my|the)\s+(?:door|room)\b",
        ],
        [
            r"\bno\s+adults?\b|\bin\s+a\s+diaper\b",
            r"\b(?:touching|touched|touches)\s+(?:her|him|me|them)\b|\bgets\s+mad\s+at\s+night\b|\bstay\s+at\s+(?:our|my)\s+(?:house|place)\b|\bclearly\s+high\b|\bnobody\s+answers\b",
            r"\bcps\b|\bchild\s+protective\b|\bmandated\s+report",
            rf"\b{KID}\b" + near(40) + r"\b(?:locked|bruise\w*|marks?|scared\s+to\s+go\s+home|won'?t\s+go\s+home)\b",
            r"\b(?:discipline|punishment)\b" + near(40) + r"\b(?:mark|bruise|hour|closet|belt)",
        ],
    ),
    "harm_to_others": (
        [
            r"\bknow\s+(?:his|her|their)\s+(?:schedule|routine|shifts?)\b|\b(?:bat|gun|knife|crowbar|machete|hammer)\b" + near(20) + r"\bin\s+my\s+(?:trunk|car|bag|backpack|truck)\b",
            r"\b(?:planning|plan|going|gonna|intend\w*)\s+(?:on\s+)?(?:to\s+)?(?:hurt|kill|shoot|stab|attack|beat|poison|burn)\w*\s+(?:a|my|the|him|her|them|that|this|someone|everyone)\b",
            r"\bknow\s+(?:where|when|which|what\s+time)\s+(?:he|she|they|you|his|her|their)(?:'s|\s+is|\s+are)?\s*(?:alone|window|lives?|parks|works|sleeps|gets\s+off|leaves|car|live)\b|\bget\s+what'?s\s+coming\b",
            r"\b(?:know|knows)\s+(?:where|which|what\s+time)\s+(?:he|she|they|his|her|their)\s*(?:window|lives|parks|"
            r"works|sleeps|gets\s+off|leaves|car\s+is)\b|\bwhich\s+window\s+is\s+(?:his|hers|theirs)\b",
            r"\bgas\s+can\b|\b(?:gasoline|lighter\s+fluid)\b" + near(40) + r"\b(?:trunk|house|car|window)",
            r"\bthey'?ll\s+(?:all\s+)?(?:see|pay|regret|be\s+sorry|learn)\b|\b(?:make|going\s+to\s+make|gonna\s+make)\s+"
            r"(?:them|him|her|everyone)\s+(?:all\s+)?(?:pay|listen|regret|sorry|suffer)\b",
            r"\bbring(?:ing)?\s+(?:something|a\s+(?:gun|knife|weapon)|my\s+(?:gun|knife|rifle))\b" + near(60)
            + r"\b(?:listen|tomorrow|work|school|them|not\s+a\s+joke)",
            r"\bnot\s+a\s+joke\b" + near(60) + r"\b(?:tomorrow|them|they|done)",
            r"\bwhere\s+(?:my|his|her)\s+(?:dad|uncle|brother|father|grandpa|stepdad)\s+keeps\s+(?:his|the|a)\s+"
            r"(?:guns?|rifles?|pistol|key|ammo)",
            r"\b(?:i'?m|i\s+am|im)\s+(?:going|gonna)\s+to\s+(?:kill|hurt|shoot|stab|strangle|run\s+over|burn)\s+"
            r"(?:him|her|them|my|that|the|everyone)\b|\bi(?:'ll|\s+will)\s+(?:kill|hurt|shoot|stab)\s+"
            r"(?:him|her|them|my|everyone)\b",
            r"\b(?:parked|waiting|sitting)\s+outside\s+(?:her|his|their)\s+(?:building|house|apartment|work|place)\b",
            # intrusive thoughts are unwanted (perinatal OCD), not intent
            r"(?<!intrusive\s)\bthoughts?\s+(?:of|about)\s+(?:hurting|harming|killing)\s+(?:my|the|him|her|them|someone)\b",
        ],
        [
            r"\b(?:want|wanna)\s+to\s+(?:kill|hurt|strangle|punch)\s+(?:him|her|them|someone)\b",
            r"\b(?:revenge|payback|get\s+even)\b|\bthey'?ll\s+see\b",
        ],
    ),
}


#: Every cue, compiled once and tagged with its (kind, strength): 2 strong, 1 weak.
CUES: list[Anchored] = [
    Anchored(re.compile(pattern), (kind, strength))
    for kind, (strong, weak) in _FAMILIES.items()
    for strength, patterns in ((2, strong), (1, weak))
    for pattern in patterns
]
INDEX = PatternIndex(CUES)
