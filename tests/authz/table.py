"""The authorization table: what each member of the cast gets at every URL of the
application, with GET and POST (tests/authz/test_authorization_table.py asks them all).

The world: a case in step 5b at the cast's school, opened by `leerkracht`, with the
aandachtsfunctionaris responsible, carrying a record of every kind (consent with its
form, a talk with report and agreement, a help plan, a report to Veilig Thuis, an inzage
request reviewed by the aandachtsfunctionaris and one released); a staff
signal about the aandachtsfunctionaris; an organisation of the sociale kaart; a template
of the board. The case's pupil leaves the school next month (its leaving checklist).
POSTs carry no data: a form answers 200 with its errors, an action 302.

Columns, in this order: leerkracht (opened the case), leerkracht_b (same school, not
added), ib, af, directie, other_leerkracht (other school), bestuur, outsider (no role),
anonymous. A new URL fails the test until it is declared here.
"""

CAST = ["leerkracht", "leerkracht_b", "ib", "af", "directie", "other_leerkracht", "bestuur",
        "outsider", "anonymous"]  # fmt: skip


def row(*codes: int) -> dict[str, int]:
    return dict(zip(CAST, codes, strict=True))


# fmt: off
TABLE: dict[str, dict[str, dict[str, int]]] = {
    "cases:anonymised_review": {
        "get":  row(403, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 302, 302, 302, 404, 404, 404, 302),
    },
    "cases:anonymised_review_submit": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 302, 302, 302, 404, 404, 404, 302),
    },
    "board_access": {
        "get":  row(403, 403, 403, 403, 200, 403, 200, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:access_log": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:actions": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:action_agreement_done": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 302, 302, 404, 404, 404, 302),
    },
    "cases:agreement_done": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 302, 302, 404, 404, 404, 302),
    },
    "cases:call_sheet": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:case_evaluation_new": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 302, 302, 302, 404, 404, 404, 302),
    },
    "cases:consent_new": {
        "get":  row(403, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 200, 200, 200, 404, 404, 404, 302),
    },
    "cases:consultation_new": {
        "get":  row(403, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 200, 200, 200, 404, 404, 404, 302),
    },
    "cases:detail": {
        "get":  row(200, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:emergency": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 403, 403, 404, 404, 404, 302),
    },
    "cases:entry_new": {
        "get":  row(200, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(200, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:evaluation": {
        "get":  row(404, 404, 404, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:evaluation_csv": {
        "get":  row(404, 404, 404, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:evaluation_pdf": {
        "get":  row(404, 404, 404, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:evaluation_theme_add": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(404, 404, 404, 302, 302, 404, 404, 404, 302),
    },
    "cases:grant": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 200, 200, 200, 404, 404, 404, 302),
    },
    "cases:help_evaluation_new": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:help_plan_new": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:inzage": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:inzage_approve": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 403, 302, 404, 404, 404, 302),
    },
    "cases:inzage_download": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:inzage_extend": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:inzage_preview": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:inzage_refuse": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:inzage_request": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:inzage_review": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:inzage_review_submit": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 302, 302, 404, 404, 404, 302),
    },
    "cases:leaving": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:leaving_close": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:leaving_item": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:link_new": {
        "get":  row(403, 404, 200, 200, 403, 404, 404, 404, 302),
        "post": row(403, 404, 200, 200, 403, 404, 404, 404, 302),
    },
    "cases:list": {
        "get":  row(200, 200, 200, 200, 200, 200, 403, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:matrix": {
        "get":  row(403, 403, 403, 200, 200, 403, 403, 403, 302),
        "post": row(403, 403, 403, 200, 200, 403, 403, 403, 302),
    },
    "cases:meeting_cancel": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 302, 302, 404, 404, 404, 302),
    },
    "cases:meeting_detail": {
        "get":  row(200, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:meeting_ics": {
        "get":  row(200, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:meeting_move": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:meeting_new": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:meeting_report": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:meeting_report_pdf": {
        "get":  row(200, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:meeting_sign": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 302, 403, 404, 404, 404, 302),
    },
    "cases:meeting_signoff": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:move": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(302, 404, 302, 302, 302, 404, 404, 404, 302),
    },
    "cases:new": {
        "get":  row(200, 200, 200, 200, 200, 200, 403, 403, 302),
        "post": row(200, 200, 200, 200, 200, 200, 403, 403, 302),
    },
    "cases:quick_pupil_search": {
        "get":  row(200, 200, 200, 200, 200, 200, 403, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:quick_record": {
        "get":  row(200, 200, 200, 200, 200, 200, 403, 403, 302),
        "post": row(200, 200, 200, 200, 200, 200, 403, 403, 302),
    },
    # The dossier PDF: GET the button, POST to queue it (tests make it at once). The
    # export and its download belong to who asked for it (the af): 404 for everyone else.
    "cases:pdf": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 302, 302, 404, 404, 404, 302),
    },
    "cases:pdf_export": {
        "get":  row(404, 404, 404, 200, 404, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:pdf_download": {
        "get":  row(404, 404, 404, 200, 404, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:pupil_chronology": {
        "get":  row(200, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:report_exception_new": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:report_new": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:report_response": {
        "get":  row(403, 404, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:responsible": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 403, 200, 200, 404, 404, 404, 302),
    },
    "cases:revoke": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 404, 302, 302, 302, 404, 404, 404, 302),
    },
    "cases:staff_signal_action": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(404, 404, 404, 404, 200, 404, 200, 404, 302),
    },
    "cases:staff_signal_detail": {
        "get":  row(404, 404, 404, 404, 200, 404, 200, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:staff_signal_filed": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:staff_signal_pupil": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(404, 404, 404, 404, 200, 404, 200, 404, 302),
    },
    "cases:staff_signal_retention": {
        "get":  row(403, 403, 403, 403, 403, 403, 200, 403, 302),
        "post": row(403, 403, 403, 403, 403, 403, 200, 403, 302),
    },
    "cases:staff_signal_list": {
        "get":  row(403, 403, 403, 403, 200, 403, 200, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:staff_signal_new": {
        "get":  row(200, 200, 200, 200, 200, 200, 403, 403, 302),
        "post": row(200, 200, 200, 200, 200, 200, 403, 403, 302),
    },
    "cases:terms": {
        "get":  row(403, 403, 403, 200, 200, 403, 403, 403, 302),
        "post": row(403, 403, 403, 200, 200, 403, 403, 403, 302),
    },
    "cases:upload": {
        "get":  row(200, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "cases:verwijsindex_new": {
        "get":  row(403, 404, 200, 200, 200, 404, 404, 404, 302),
        "post": row(403, 404, 200, 200, 200, 404, 404, 404, 302),
    },
    "cases:weighing_new": {
        "get":  row(403, 404, 403, 403, 403, 404, 404, 404, 302),
        "post": row(403, 404, 403, 403, 403, 404, 404, 404, 302),
    },
    "home": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "lock": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    "login": {
        "get":  row(302, 302, 302, 302, 302, 302, 302, 302, 200),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 200),
    },
    "logout": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    "otp_enrol": {
        # Past the second factor, with a device: the page that adds another (password again).
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 302),
        "post": row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    },
    "otp_verify": {
        "get":  row(302, 302, 302, 302, 302, 302, 302, 302, 302),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    "password_change": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 302),
        "post": row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    },
    "password_reset": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    },
    "password_reset_complete": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "password_reset_confirm": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    },
    "password_reset_done": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "pupil_import": {
        "get":  row(403, 403, 200, 200, 200, 403, 403, 403, 302),
        "post": row(403, 403, 200, 200, 200, 403, 403, 403, 302),
    },
    "pupil_left": {
        "get":  row(403, 403, 403, 200, 200, 404, 404, 404, 302),
        "post": row(403, 403, 403, 200, 200, 404, 404, 404, 302),
    },
    "pupil_list": {
        "get":  row(403, 403, 200, 200, 200, 403, 403, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "retention": {
        "get":  row(403, 403, 403, 403, 200, 403, 403, 403, 302),
        "post": row(403, 403, 403, 403, 200, 403, 403, 403, 302),
    },
    "school_account_callback": {
        # No sign-in under way (no state of this browser): back to the sign-in page.
        "get":  row(302, 302, 302, 302, 302, 302, 302, 302, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "school_account_start": {
        # Without ?bestuur= of a board that has a school account: nothing to start.
        "get":  row(404, 404, 404, 404, 404, 404, 404, 404, 404),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "school_access": {
        "get":  row(403, 403, 403, 403, 200, 403, 403, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "school_switch": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    # Passkeys: django-otp-webauthn's JSON endpoints. Authentication answers every
    # signed-in person (the second factor after the password); registration only within
    # minutes after the password again on the security page, so 403 here.
    "otp_webauthn:credential-authentication-begin": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    },
    "otp_webauthn:credential-authentication-complete": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(400, 400, 400, 400, 400, 400, 400, 400, 302),
    },
    "otp_webauthn:credential-registration-begin": {
        "get":  row(403, 403, 403, 403, 403, 403, 403, 403, 302),
        "post": row(403, 403, 403, 403, 403, 403, 403, 403, 302),
    },
    "otp_webauthn:credential-registration-complete": {
        "get":  row(403, 403, 403, 403, 403, 403, 403, 403, 302),
        "post": row(403, 403, 403, 403, 403, 403, 403, 403, 302),
    },
    "otp_webauthn:js-i18n-catalog": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "passkey_add": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(400, 400, 400, 400, 400, 400, 400, 400, 302),
    },
    "passkey_delete": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(404, 404, 404, 404, 404, 404, 404, 404, 302),
    },
    "staff_add": {
        "get":  row(403, 403, 403, 403, 200, 403, 403, 403, 302),
        "post": row(403, 403, 403, 403, 200, 403, 403, 403, 302),
    },
    "staff_import": {
        "get":  row(403, 403, 403, 403, 200, 403, 403, 403, 302),
        "post": row(403, 403, 403, 403, 200, 403, 403, 403, 302),
    },
    "security": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "recovery_codes_new": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(400, 400, 400, 400, 400, 400, 400, 400, 302),
    },
    "device_delete": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(404, 404, 404, 400, 404, 404, 404, 404, 302),
    },
    "session_end": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    "sessions": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 200, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    # Typing keeps the session alive; unsaved text is the user's own (accounts/drafts.py).
    # An empty POST is not a draft (400); throwing away nothing and an idle sign-out of a
    # session still in use lead back to the start page.
    "keep_alive": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(200, 200, 200, 200, 200, 200, 200, 200, 302),
    },
    "draft_keep": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(400, 400, 400, 400, 400, 400, 400, 400, 302),
    },
    "draft_throw_away": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    "idle_sign_out": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    "socialmap:archive": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 403, 302, 302, 302, 404, 403, 404, 302),
    },
    "socialmap:create": {
        "get":  row(403, 403, 200, 200, 200, 403, 403, 403, 302),
        "post": row(403, 403, 200, 200, 200, 403, 403, 403, 302),
    },
    "socialmap:detail": {
        "get":  row(200, 200, 200, 200, 200, 404, 200, 404, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "socialmap:edit": {
        "get":  row(403, 403, 200, 200, 200, 404, 403, 404, 302),
        "post": row(403, 403, 200, 200, 200, 404, 403, 404, 302),
    },
    "socialmap:export": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "socialmap:import": {
        "get":  row(403, 403, 200, 200, 200, 403, 403, 403, 302),
        "post": row(403, 403, 200, 200, 200, 403, 403, 403, 302),
    },
    "socialmap:list": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "socialmap:mark_checked": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 403, 302, 302, 302, 404, 403, 404, 302),
    },
    "socialmap:print": {
        "get":  row(200, 200, 200, 200, 200, 200, 200, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "socialmap:restore": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 403, 302, 302, 302, 404, 403, 404, 302),
    },
    "socialmap:template_create": {
        "get":  row(403, 403, 403, 403, 403, 403, 200, 403, 302),
        "post": row(403, 403, 403, 403, 403, 403, 200, 403, 302),
    },
    "socialmap:template_delete": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 403, 403, 403, 403, 403, 302, 403, 302),
    },
    "socialmap:template_edit": {
        "get":  row(403, 403, 403, 403, 403, 403, 200, 403, 302),
        "post": row(403, 403, 403, 403, 403, 403, 200, 403, 302),
    },
    "socialmap:template_list": {
        "get":  row(403, 403, 403, 403, 403, 403, 200, 403, 302),
        "post": row(405, 405, 405, 405, 405, 405, 405, 405, 302),
    },
    "socialmap:templates_copy": {
        "get":  row(405, 405, 405, 405, 405, 405, 405, 405, 302),
        "post": row(403, 403, 302, 302, 302, 403, 403, 403, 302),
    },
    "unlock": {
        "get":  row(302, 302, 302, 302, 302, 302, 302, 302, 302),
        "post": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
}
# fmt: on
