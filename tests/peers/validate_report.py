"""Validate tracectl's CI report formats with real parsers and print what they read, as JSON.

  validate_report.py sarif FILE   SARIF 2.1.0 against the OASIS JSON schema
                                  (tests/fixtures/sarif/sarif-schema-2.1.0.json, jsonschema)
  validate_report.py junit FILE   JUnit XML read with junitparser

Exit 0 with a JSON summary on stdout; exit 1 with the validation errors on stderr.
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests/fixtures/sarif/sarif-schema-2.1.0.json"


def sarif(path):
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        for e in errors[:20]:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{where}: {e.message}", file=sys.stderr)
        sys.exit(1)
    run = doc["runs"][0]
    results = []
    for r in run["results"]:
        loc = r["locations"][0]
        phys = loc.get("physicalLocation")
        results.append({
            "ruleId": r["ruleId"],
            "level": r["level"],
            "file": phys["artifactLocation"]["uri"] if phys else None,
            "line": phys["region"]["startLine"] if phys else None,
            "logical": loc["logicalLocations"][0]["name"] if not phys else None,
            "fingerprint": r["partialFingerprints"]["tracectlFinding/v1"],
        })
    print(json.dumps({
        "rules": [r["id"] for r in run["tool"]["driver"]["rules"]],
        "results": results,
    }))


def junit(path):
    from junitparser import JUnitXml, Failure, Skipped

    xml = JUnitXml.fromfile(path)
    suites = []
    for suite in xml:
        cases = []
        for case in suite:
            kinds = [type(r).__name__.lower() for r in case.result]
            cases.append({
                "name": case.name,
                "classname": case.classname,
                "result": kinds[0] if kinds else "passed",
                "message": case.result[0].message if case.result else None,
            })
        suites.append({
            "name": suite.name,
            "tests": suite.tests,
            "failures": suite.failures,
            "skipped": suite.skipped,
            "cases": cases,
        })
    print(json.dumps({"suites": suites}))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("sarif", "junit"):
        sys.exit(__doc__)
    {"sarif": sarif, "junit": junit}[sys.argv[1]](sys.argv[2])
