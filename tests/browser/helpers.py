"""Keyboard navigation and the axe-core accessibility check for the browser tests."""

from tests.components import require_browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"    html:   {node['html']}")
            if summary := node.get("failureSummary"):
                lines.append("    " + summary.replace("\n", "\n    "))
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page; fail listing every violation."""
    _chromium, axe = require_browser()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    assert result["violations"] == [], _describe_violations(page.url, result["violations"])


def focused_matches(page, selector: str) -> bool:
    return page.evaluate(
        "(selector) => document.activeElement !== null && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page, selector: str, *, max_presses: int = 40) -> None:
    """Press Tab until the element matching the selector has the focus, as a keyboard user would."""
    for _press in range(max_presses):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{selector} was not reached with {max_presses} presses of Tab")
