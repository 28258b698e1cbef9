"""axe-core in the browser tests: the pages answer to GB/T 37668-2019, which follows WCAG 2.1 AA."""

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def load_axe(context):
    """axe in every page the browser context opens from now on, put there by the DevTools protocol as each document
    starts (an init script: compiled once for the context, where page.evaluate sent and compiled 650 kB per page)."""
    context.add_init_script(AXE)


def serious_violations(page):
    """[(rule, impact, help, first targets)] of the serious and critical WCAG 2.1 AA violations on the page now.

    axe is loaded through the DevTools protocol (load_axe's init script, or page.evaluate here for a page opened
    without it), which the page's Content-Security-Policy does not apply to: the portal itself never runs an
    inline script.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        (v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"][:3]])
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
