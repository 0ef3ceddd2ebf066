"""Every PDF the portal makes is tagged, titled, in English and fetches nothing."""

from __future__ import annotations

import subprocess

from portal.pdf import html_to_pdf


def pdfinfo(data: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_a_pdf_is_tagged_titled_and_fetches_nothing(caplog):
    html = (
        '<html lang="en-GB"><body><h1>Results</h1><p>Plain\x01 words</p>'
        '<img src="http://127.0.0.1:9/tracker.png" alt="">'
        '<img src="file:///etc/passwd" alt=""></body></html>'
    )
    data = html_to_pdf(html, title="Results: Our name", authors=["Coastal Minds"])
    info = pdfinfo(data)
    assert "Tagged:          yes" in info
    assert "Title:           Results: Our name" in info and "Author:          Coastal Minds" in info
    # Both images were refused by the portal's fetcher, not loaded.
    refused = [r.getMessage() for r in caplog.records if "fetch nothing" in r.getMessage()]
    assert len(refused) == 2


def test_the_consultation_results_pdf_is_tagged(app):
    """The consultations' PDF goes through the same helper (it was untagged)."""
    from types import SimpleNamespace

    from portal.consultations.results.exports import summary_pdf

    consultation = SimpleNamespace(
        title="Our name and brand", organisation="Coastal Minds", opens_on=None, closes_on=None
    )
    results = SimpleNamespace(responses=0, questions=[], groups={})
    with app.app_context(), app.test_request_context():
        data = summary_pdf(consultation, results)
    info = pdfinfo(data)
    assert "Tagged:          yes" in info and "Results: Our name and brand" in info
