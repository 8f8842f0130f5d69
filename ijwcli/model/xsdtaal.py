"""libxml2's schema and parser messages told in plain Dutch, without namespaces: the element,
what was found and what is allowed (for a code list the codes with their meaning).

>>> vertaal("Element '{urn:x}Bsn': [facet 'pattern'] The value '12' is not accepted by "
...         "the pattern '[0-9]{9}'.")
"Element Bsn: de waarde '12' past niet in het patroon '[0-9]{9}'"
>>> vertaal("Element '{urn:x}Client': Missing child element(s). Expected is ( {urn:x}Bsn ).")
'Element Client: verplicht element ontbreekt, verwacht: Bsn'
>>> vertaal("Element '{urn:x}Bsn': [facet 'maxLength'] The value has a length of '10'; this "
...         "exceeds the allowed maximum length of '9'.")
'Element Bsn: de waarde is 10 tekens lang, maximaal 9 toegestaan'
>>> vertaal("Element '{urn:x}Geslacht': [facet 'enumeration'] The value '7' is not an element "
...         "of the set {'0', '1', '2'}.").split("; ")[1]
'toegestaan: 0 (Onbekend), 1 (Mannelijk), 2 (Vrouwelijk)'
>>> parserfout("Couldn't find end of Start Tag Bsn line 19, line 19, column 12")
"begintag <Bsn> is niet afgesloten (ontbreekt een '>'?), regel 19, kolom 12"
"""

from __future__ import annotations

import re

# Namespace URIs in Clark notation; pattern quantifiers such as {9} are left alone.
# The patterns stay text until a message needs them: compiling some eighty regular expressions
# at import cost a one-file ``validate`` a tenth of its start-up, and most files have no
# message to translate. ``re`` caches each compiled pattern after its first use.
_NS = r"\{[a-z]+:[^}]*\}"
_ELEMENT = r"^Element '([^']*)'(?:, attribute '[^']*')?: "

_VERTALINGEN = [
    (r"This element is not expected\. Expected is one of \( (.*) \)\.?",
     r"dit element wordt hier niet verwacht, verwacht een van: \1"),
    (r"This element is not expected\. Expected is \( ([^ ,]*) \)\.?",
     r"dit element wordt hier niet verwacht, verwacht: \1 (ontbreekt \1?)"),
    (r"This element is not expected\. Expected is \( (.*) \)\.?",
     r"dit element wordt hier niet verwacht, verwacht: \1"),
    (r"This element is not expected\.?", "dit element wordt hier niet verwacht"),
    (r"Missing child element\(s\)\. Expected is one of \( (.*) \)\.?",
     r"verplicht element ontbreekt, verwacht een van: \1"),
    (r"Missing child element\(s\)\. Expected is \( (.*) \)\.?",
     r"verplicht element ontbreekt, verwacht: \1"),
    (r"\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\.?",
     r"de waarde '\1' past niet in het patroon '\2'"),
    (r"\[facet 'maxLength'\] The value '(.*)' has a length of '(\d+)'; this exceeds "
     r"the allowed maximum length of '(\d+)'\.?",
     r"de waarde '\1' is \2 tekens lang, maximaal \3 toegestaan"),
    (r"\[facet 'maxLength'\] The value has a length of '(\d+)'; this exceeds "
     r"the allowed maximum length of '(\d+)'\.?",
     r"de waarde is \1 tekens lang, maximaal \2 toegestaan"),
    (r"\[facet 'minLength'\] The value '(.*)' has a length of '(\d+)'; this "
     r"underruns the allowed minimum length of '(\d+)'\.?",
     r"de waarde '\1' is \2 tekens lang, minimaal \3 vereist"),
    (r"\[facet 'minLength'\] The value has a length of '(\d+)'; this "
     r"underruns the allowed minimum length of '(\d+)'\.?",
     r"de waarde is \1 tekens lang, minimaal \2 vereist"),
    (r"\[facet 'totalDigits'\] The value '(.*)' has more digits than are allowed "
     r"\('(\d+)'\)\.?", r"de waarde \1 heeft meer dan \2 cijfers"),
    (r"\[facet 'maxExclusive'\] The value '(.*)' must be less than '(.*)'\.?",
     r"de waarde \1 moet kleiner zijn dan \2"),
    (r"\[facet 'minExclusive'\] The value '(.*)' must be greater than '(.*)'\.?",
     r"de waarde \1 moet groter zijn dan \2"),
    (r"\[facet 'maxInclusive'\] The value '(.*)' is greater than the maximum value "
     r"allowed \('(.*)'\)\.?", r"de waarde \1 is groter dan het maximum \2"),
    (r"\[facet 'minInclusive'\] The value '(.*)' is less than the minimum value "
     r"allowed \('(.*)'\)\.?", r"de waarde \1 is kleiner dan het minimum \2"),
    (r"'(.*)' is not a valid value of the atomic type 'LDT_Datum'\.?",
     r"'\1' is geen geldige datum (JJJJ-MM-DD)"),
    (r"'(.*)' is not a valid value of the atomic type 'LDT_Tijd'\.?",
     r"'\1' is geen geldige tijd (UU:MM:SS)"),
    (r"'(.*)' is not a valid value of the (?:local )?atomic type "
     r"'xs:(?:integer|nonNegativeInteger|positiveInteger|int|long|short)'\.?",
     r"'\1' is geen geheel getal"),
    (r"'(.*)' is not a valid value of the (?:local )?atomic type 'xs:decimal'\.?",
     r"'\1' is geen getal"),
    (r"'(.*)' is not a valid value of the (?:local )?atomic type 'xs:date'\.?",
     r"'\1' is geen geldige datum (JJJJ-MM-DD)"),
    (r"'(.*)' is not a valid value of the (?:local )?atomic type 'xs:boolean'\.?",
     r"'\1' is geen geldige waarde (true of false)"),
    (r"'(.*)' is not a valid value of the (?:local )?atomic type(?: '(.*)')?\.?",
     r"'\1' is geen geldige waarde voor dit datatype"),
    (r"'(.*)' is not a valid value of the (?:local )?(?:list|union) type.*",
     r"'\1' is geen geldige waarde voor dit datatype"),
    (r"The attribute '(.*)' is not allowed\.?",
     r"attribuut '\1' is hier niet toegestaan"),
    (r"The attribute '(.*)' is required but missing\.?",
     r"verplicht attribuut '\1' ontbreekt"),
    (r"Element content is not allowed, because the content type is a simple type "
     r"definition\.?", "hier zijn geen elementen toegestaan, alleen een waarde"),
    (r"Element content is not allowed, because the type definition is simple\.?",
     "hier zijn geen elementen toegestaan, alleen een waarde"),
    (r"Character content other than whitespace is not allowed because the content "
     r"type is 'element-only'\.?", "tekst is hier niet toegestaan, alleen elementen"),
    (r"No matching global declaration available for the validation root\.?",
     "het rootelement hoort niet bij dit berichttype"),
]


_ENUM = (r"\[facet 'enumeration'\] The value '(.*)' is not an element of the set "
         r"\{(.*)\}\.?")
# A code list longer than this is named by its first codes and where to find the rest.
MAX_CODES = 10


def codelijst_voor(codes: set[str], element: str = "") -> tuple[str, dict[str, str]] | None:
    """The code list (name, code → meaning) with exactly these codes; the one named like the
    element first when several share them.

    >>> codelijst_voor({"1", "2", "3"}, "Communicatievorm")[0]
    'LDT_Communicatievorm'
    """
    from ijwcli.model.datatypes import codelijsten

    passend = [(naam, lijst) for naam, lijst in codelijsten().items() if set(lijst) == codes]
    passend.sort(key=lambda nl: (nl[0].removeprefix("LDT_") != element, nl[0]))
    return passend[0] if passend else None


def _codelijst(waarde: str, codes_tekst: str, element: str) -> str:
    codes = {c.strip().strip("'") for c in codes_tekst.split(",") if c.strip()}
    gevonden = codelijst_voor(codes, element)
    if gevonden is None:
        toegestaan = ", ".join(sorted(codes)[:MAX_CODES])
        meer = f" … ({len(codes) - MAX_CODES} meer)" if len(codes) > MAX_CODES else ""
        return f"de waarde '{waarde}' staat niet in de codelijst; toegestaan: {toegestaan}{meer}"
    naam, lijst = gevonden
    paren = [f"{c} ({b})" for c, b in lijst.items()]
    if len(paren) <= MAX_CODES:
        return f"de waarde '{waarde}' staat niet in de codelijst; toegestaan: {', '.join(paren)}"
    return (f"de waarde '{waarde}' staat niet in codelijst {naam.removeprefix('LDT_')} "
            f"({len(paren)} codes); de eerste tien: {', '.join(paren[:MAX_CODES])}; alle codes "
            f"in ijwcli/model/codelijsten.toml, tabel [{naam}]")


def vertaal(message: str) -> str:
    """libxml2's English message without namespaces, in Dutch where the pattern is known."""
    msg = re.sub(_NS, "", message.strip())
    prefix = element = ""
    m = re.match(_ELEMENT, msg)
    if m:
        element = m.group(1)
        prefix, msg = f"Element {element}: ", msg[m.end():]
    e = re.search(_ENUM, msg)
    if e:
        return prefix + _codelijst(e.group(1), e.group(2), element)
    for pattern, repl in _VERTALINGEN:
        if re.search(pattern, msg):
            msg = re.sub(pattern, repl, msg, count=1)
            break
    return prefix + msg


_PLAATS = r", line (\d+), column (\d+)$"
_PARSER = (
    (r"^Document is empty$", "het bestand is leeg"),
    (r"^Couldn't find end of Start Tag (\S+) line \d+$",
     r"begintag <\1> is niet afgesloten (ontbreekt een '>'?)"),
    (r"^Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)$",
     r"begintag <\1> (regel \2) wordt afgesloten met </\3>"),
    (r"^Premature end of data in tag (\S+) line (\d+)$",
     r"het bestand houdt op binnen <\1> (regel \2): afgekapt?"),
    (r"^EndTag: '</' not found$", "eindtag '</…>' niet gevonden: afgekapt?"),
    (r"^Extra content at the end of the document$",
     "er staat nog iets na het einde van het bericht"),
    (r"^Start tag expected, '<' not found$", "geen XML: het begint niet met een element"),
    (r"^StartTag: invalid element name$", "ongeldige elementnaam (een losse '<'? schrijf &lt;)"),
    (r"^expected '>'$", "'>' verwacht"),
    (r"^xmlParseEntityRef: no name$", "losse '&' (schrijf &amp;)"),
    (r"^Entity '(.*)' not defined$", r"onbekende entiteit &\1; (schrijf & als &amp;)"),
    (r"^error parsing attribute name$", "fout in een attribuutnaam (een losse '<'? schrijf &lt;)"),
    (r"^AttValue: \" or ' expected$", "een attribuutwaarde hoort tussen aanhalingstekens"),
    (r"^Specification mandates value for attribute (.*)$", r"attribuut \1 heeft geen waarde"),
    (r"^Attribute (.*) redefined$", r"attribuut \1 staat er twee keer"),
    (r"^Namespace prefix (\S+) on (\S+) is not defined$",
     r"namespace-prefix \1 van element \2 is niet gedeclareerd"),
    (r"^PCDATA invalid Char value (\d+)$", r"teken met code \1 is niet toegestaan in XML"),
    (r"^xmlParseCharRef: invalid xmlChar value (\d+)$",
     r"tekenverwijzing naar code \1 is niet toegestaan in XML"),
    (r"^Invalid bytes in character encoding$", "ongeldige bytes: geen UTF-8"),
    (r"^Input is not proper UTF-8.*$", "ongeldige bytes: geen UTF-8"),
    (r"^Char 0x([0-9A-Fa-f]+) out of allowed range$",
     r"teken 0x\1 is niet toegestaan in XML"),
    (r"^attributes construct error$", "fout in de attributen van een element"),
    (r"^Failed to parse QName '(.*)'$",
     r"onvolledige naam '\1' (het bestand houdt daar op: afgekapt?)"),
)


def parserfout(message: str) -> str:
    """A libxml2 parser message (lxml's ``XMLSyntaxError.msg``) in Dutch, with its place."""
    msg = message.strip()
    plaats = ""
    m = re.search(_PLAATS, msg)
    if m:
        plaats, msg = f", regel {m.group(1)}, kolom {m.group(2)}", msg[:m.start()]
    for patroon, vervanging in _PARSER:
        if re.search(patroon, msg):
            return re.sub(patroon, vervanging, msg, count=1) + plaats
    return msg + plaats
