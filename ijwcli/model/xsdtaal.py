"""libxml2's schema messages told in Dutch, without namespaces.

>>> vertaal("Element '{urn:x}Bsn': [facet 'pattern'] The value '12' is not accepted by "
...         "the pattern '[0-9]{9}'.")
"Element Bsn: de waarde '12' past niet in het patroon '[0-9]{9}'"
>>> vertaal("Element '{urn:x}Client': Missing child element(s). Expected is ( {urn:x}Bsn ).")
'Element Client: verplicht element ontbreekt, verwacht: Bsn'
"""

from __future__ import annotations

import re

# Namespace URIs in Clark notation; pattern quantifiers such as {9} are left alone.
_NS = re.compile(r"\{[a-z]+:[^}]*\}")
_ELEMENT = re.compile(r"^Element '([^']*)'(?:, attribute '[^']*')?: ")

_VERTALINGEN = [
    (re.compile(r"This element is not expected\. Expected is one of \( (.*) \)\.?"),
     r"dit element wordt hier niet verwacht, verwacht een van: \1"),
    (re.compile(r"This element is not expected\. Expected is \( (.*) \)\.?"),
     r"dit element wordt hier niet verwacht, verwacht: \1"),
    (re.compile(r"This element is not expected\.?"), "dit element wordt hier niet verwacht"),
    (re.compile(r"Missing child element\(s\)\. Expected is one of \( (.*) \)\.?"),
     r"verplicht element ontbreekt, verwacht een van: \1"),
    (re.compile(r"Missing child element\(s\)\. Expected is \( (.*) \)\.?"),
     r"verplicht element ontbreekt, verwacht: \1"),
    (re.compile(r"\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\.?"),
     r"de waarde '\1' past niet in het patroon '\2'"),
    (re.compile(r"\[facet 'enumeration'\] The value '(.*)' is not an element of the set .*"),
     r"de waarde '\1' staat niet in de codelijst"),
    (re.compile(r"\[facet 'maxLength'\] The value '(.*)' has a length of '(\d+)'; this exceeds "
                r"the allowed maximum length of '(\d+)'\.?"),
     r"de waarde '\1' is \2 tekens lang, maximaal \3 toegestaan"),
    (re.compile(r"\[facet 'minLength'\] The value '(.*)' has a length of '(\d+)'; this "
                r"underruns the allowed minimum length of '(\d+)'\.?"),
     r"de waarde '\1' is \2 tekens lang, minimaal \3 vereist"),
    (re.compile(r"\[facet 'maxInclusive'\] The value '(.*)' is greater than the maximum value "
                r"allowed \('(.*)'\)\.?"), r"de waarde \1 is groter dan het maximum \2"),
    (re.compile(r"\[facet 'minInclusive'\] The value '(.*)' is less than the minimum value "
                r"allowed \('(.*)'\)\.?"), r"de waarde \1 is kleiner dan het minimum \2"),
    (re.compile(r"'(.*)' is not a valid value of the atomic type 'LDT_Datum'\.?"),
     r"'\1' is geen geldige datum (JJJJ-MM-DD)"),
    (re.compile(r"'(.*)' is not a valid value of the atomic type 'LDT_Tijd'\.?"),
     r"'\1' is geen geldige tijd (UU:MM:SS)"),
    (re.compile(r"'(.*)' is not a valid value of the (?:local )?atomic type(?: '(.*)')?\.?"),
     r"'\1' is geen geldige waarde voor dit datatype"),
    (re.compile(r"Character content other than whitespace is not allowed because the content "
                r"type is 'element-only'\.?"), "tekst is hier niet toegestaan, alleen elementen"),
    (re.compile(r"No matching global declaration available for the validation root\.?"),
     "het rootelement hoort niet bij dit berichttype"),
]


def vertaal(message: str) -> str:
    """libxml2's English message without namespaces, in Dutch where the pattern is known."""
    msg = _NS.sub("", message.strip())
    prefix = ""
    m = _ELEMENT.match(msg)
    if m:
        prefix, msg = f"Element {m.group(1)}: ", msg[m.end():]
    for pattern, repl in _VERTALINGEN:
        if pattern.search(msg):
            msg = pattern.sub(repl, msg, count=1)
            break
    return prefix + msg
