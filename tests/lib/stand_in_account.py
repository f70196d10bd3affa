"""The account calls of the stand-in SkyPostal API: profile, shipments, one shipment,
the partner lookup, and the changes (password, email, type), consistent with each
account's login (same box ID and key).

The changes are kept per server process: a new password logs in at the next login and
the old one stops; after an email change the old key and email stop working and the new
email logs in (and looks up) with the key the reply gave; the type flags show in the
profile and the login.

stand_in_api.py routes these paths here. The profile, shipments and shipment calls
identify the customer by box ID and key, as the real API does: a box ID or key that
does not match the account's login is refused (_verify false). Standard library only.
"""
import datetime
import json
import random
import re
import threading
import time
import zlib

PROFILE_PATH = "/service-customer.svc/customer/customer-get-info"
SHIPMENTS_PATH = "/service-customer.svc/customer/customer-get-shipments"
# SkyPostal's own client uses these two; their documentation names the second of each.
SHIPMENT_PATH = "/service-shipment.svc/shipment/get-shipment-info"
SHIPMENT_DOC_PATH = "/service-customer.svc/shipment/get-shipment-info"
PARTNER_PATH = "/service-partner.svc/partner/customer-get-info"
PARTNER_DOC_PATH = "/service-customer.svc/partner/customer-get-info"
PASSWORD_PATH = "/service-customer.svc/customer/customer-update-password"
EMAIL_PATH = "/service-customer.svc/customer/customer-update-email"
TYPE_PATH = "/service-customer.svc/customer/customer-update-type"
WRITE_PATHS = (PASSWORD_PATH, EMAIL_PATH, TYPE_PATH)
PATHS = (PROFILE_PATH, SHIPMENTS_PATH, SHIPMENT_PATH, SHIPMENT_DOC_PATH, PARTNER_PATH, PARTNER_DOC_PATH) + \
    WRITE_PATHS

NO_ERROR = {"error_description": "", "error_location": "", "system_error": False}
DAY_MS = 86400 * 1000


def wcf(ms, offset="-0500"):
    return "/Date(%d%s)/" % (ms, offset)


def login_record(email, box_id, first, last, key=None, **over):
    rec = {"_verify": True, "activation_date": wcf(1550761010000), "customer_box_id": box_id,
           "customer_first_name": first, "customer_key": key or ("key-%d-%s" % (box_id, email.split("@")[0])),
           "customer_last_name": last, "enrolment_date": wcf(1550761008000), "error": dict(NO_ERROR),
           "is_active": True, "is_business": False, "is_enable": True, "is_vip": False}
    rec.update(over)
    return rec


# The accounts that exist for the account calls, beyond stand_in_api's: email -> (what, login record).
LOGINS = {
    "many@example.com": ("10 000 shipments over five years",
                         login_record("many@example.com", 811300, "Mara", "Many")),
    "bulk@example.com": ("10 000 shipments in the last 90 days",
                         login_record("bulk@example.com", 811305, "Bruno", "Bulk")),
    "noshipments@example.com": ("no shipments at all",
                                login_record("noshipments@example.com", 811301, "Nils", "None")),
    "refusedkey@example.com": ("a key the profile and shipments calls refuse",
                               login_record("refusedkey@example.com", 811302, "Rita", "Refused")),
    "oldpath@example.com": ("shipment details only at the documented path",
                            login_record("oldpath@example.com", 811303, "Otto", "Oldpath")),
    "messy@example.com": ("shipments and events with missing, null, mistyped and hostile fields",
                          login_record("messy@example.com", 811304, "Meg", "Messy")),
    "docpartner@example.com": ("partner lookup only at the documented path",
                               login_record("docpartner@example.com", 811306, "Dana", "Docpartner")),
    "nopartner@example.com": ("the partner call refuses these credentials",
                              login_record("nopartner@example.com", 811307, "Pat", "Nopartner")),
    "bigawb@example.com": ("an AWB of 2^53 - 1, as a number and as a string",
                           login_record("bigawb@example.com", 811308, "Bea", "Bigawb")),
    "hugeshipments@example.com": ("a 33 MiB shipments reply",
                                  login_record("hugeshipments@example.com", 811309, "Hugo", "Huge")),
    "stallhalf@example.com": ("a shipments reply that stalls half-way",
                              login_record("stallhalf@example.com", 811310, "Stan", "Stall")),
    "slowtrack@example.com": ("shipment details that stall half-way",
                              login_record("slowtrack@example.com", 811314, "Sol", "Slowtrack")),
    "named@example.com": ("a login and partner reply that name the email, in other case and spaces",
                          login_record("named@example.com", 811311, "Ned", "Named",
                                       customer_email=" Named@Example.COM ")),
    "otherlogin@example.com": ("a login reply that names another customer's email",
                               login_record("otherlogin@example.com", 811312, "Olga", "Other",
                                            customer_email="mallory@evil.example")),
    "otherprofile@example.com": ("a profile that names another customer's email",
                                 login_record("otherprofile@example.com", 811313, "Otis", "Other")),
    # U+00DD is c3 9d in UTF-8 and U+00DB c3 9b: an 8-bit terminal reads 9d as OSC, 9b as CSI.
    "c1text@example.com": ("names, merchants and tracking texts whose UTF-8 holds C1-looking bytes",
                           login_record("c1text@example.com", 811315, "\u00dd0;PWNED\u2026",
                                        "\u00db31m \u201cR\u00f8d\u201d \u2014 \u0152uvre")),
    "change@example.com": ("an account to change (password, email, type)",
                           login_record("change@example.com", 811320, "Cleo", "Change")),
    "refusechange@example.com": ("every change refused by the server",
                                 login_record("refusechange@example.com", 811321, "Rex", "Refuse")),
    "lostreply@example.com": ("a change applied, then the connection reset before the reply",
                              login_record("lostreply@example.com", 811322, "Lola", "Lost")),
    "noopchange@example.com": ("a change the server says yes to and does not make",
                               login_record("noopchange@example.com", 811323, "Noah", "Noop")),
    "c1error@example.com": ("a rejection whose description holds C1-looking bytes",
                            login_record("c1error@example.com", 811316, "Cy", "Error", _verify=False,
                                         error={"error_description": "Cuenta \u00dd0;bloqueada \u00db2J",
                                                "error_location": "login \u00dd", "system_error": False})),
}

# Partner lookups answered for another customer than the one asked for: email -> record.
MALLORY = login_record("mallory@evil.example", 999, "Mallory", "Evil", key="MALLORYKEY",
                       customer_email="mallory@evil.example")
PARTNER_OTHER = {"swapped@example.com": MALLORY}
# Profiles that name another email than the customer's: email -> the email named.
PROFILE_EMAIL = {"otherprofile@example.com": "mallory@evil.example"}
# Partner lookups refused with an HTTP status: email -> status.
PARTNER_STATUS = {"forbidden@example.com": 403, "unauthorized@example.com": 401}

# The accounts of `boxlogin check`, made up from their email: bulkNNNN@check.example exists
# (box ID 700000 + NNNN; disabled when NNNN ends in 3, unknown when it ends in 7), and
# slowNNNN@check.example too, answered after SLOW_S, and lateNNNN@check.example after LATE_S.
BULK = re.compile(r"(bulk|slow|late)(\d{1,6})@check\.example")
SLOW_S = 0.2
LATE_S = 1.5
# formula@check.example (and formula2): a name a spreadsheet would run. flaky@check.example: HTTP 500
# once, then the account. down@check.example: HTTP 500 always.
FORMULA = login_record("formula@check.example", 799990, "=HYPERLINK(\"http://x\")", "+Sum")
# formula2@check.example: the other two openings a spreadsheet runs.
FORMULA2 = login_record("formula2@check.example", 799992, "-2+3", "@SUM(A1:A2)")
FLAKY_SEEN = set()
FLAKY_LOCK = threading.Lock()


def check_reply(email):
    """The partner reply to an account of `boxlogin check`, or None when it is not one."""
    m = BULK.fullmatch(email)
    if m:
        n = int(m.group(2))
        if m.group(1) != "bulk":
            time.sleep(SLOW_S if m.group(1) == "slow" else LATE_S)
        if n % 10 == 7:
            return json_body(refused("The email is not registered"))
        return json_body([login_record(email, 700000 + n, "Bulk", "N%d" % n, is_enable=n % 10 != 3,
                                       is_active=n % 10 != 3)])
    if email == "formula@check.example":
        return json_body([FORMULA])
    if email == "formula2@check.example":
        return json_body([FORMULA2])
    if email in ("flaky@check.example", "down@check.example"):
        with FLAKY_LOCK:
            first = email not in FLAKY_SEEN
            FLAKY_SEEN.add(email)
        if first or email == "down@check.example":
            return 500, "text/html", b"<html>Internal Server Error</html>"
        return json_body([login_record(email, 799991, "Flo", "Flaky")])
    return None

# The documented shipment's tracking, as the API page prints it.
DOC_TRACKING = [("PAY", "BILLED", 1517799554000), ("REC", "RECEIVED", 1517799553000)]


def today_ms():
    d = datetime.date.today()
    return int(datetime.datetime(d.year, d.month, d.day, 12, tzinfo=datetime.timezone.utc).timestamp() * 1000)


def row(awb, received_ms, i=0, **over):
    r = {"_verify": True, "date_manifested": None, "date_received": wcf(received_ms), "error": dict(NO_ERROR),
         "external_tracking": "EXT%s" % awb, "invoice_file_name": "", "invoice_file_url": "",
         "invoice_required": i % 7 == 0 and 1 or 0, "lnge_code": "ENG",
         "merchant": ["Amazon.com", "eBay", "Best Buy", "Walmart", "Zara"][i % 5],
         "shipment_content": ["books", "shoes", "phone case", "test 10", "podadora"][i % 5],
         "shipment_status": ["PAY", "REC", "MAN", "DEL"][i % 4], "shipment_value": 10 + i % 90,
         "shipping_charge_discount": 0, "shipping_charge_rate": 6.5, "shipping_charge_total": 6.5 + i % 3,
         "trck_nmr_fol": awb, "weight_charged": 0.4409, "weight_physical": 0.4409, "weight_volumetric": 0.01}
    r.update(over)
    return r


def c1_rows():
    now = today_ms()
    return [row(60000001, now - DAY_MS, 1, merchant="\u00dd0;PWNED\u0007 Sh\u00f6p \u2013 \u00a9",
                shipment_content="\u00db31m \u201cZapatos\u201d \u2026 \u5c71\u7530"),
            row(60000002, now - 2 * DAY_MS, 2, merchant="Caf\u00e9 \u00c6sir \u0141\u00f3d\u017a",
                shipment_content="\u00dd\u00db\u00dd\u00db")]


def documented_rows():
    return [row(13869085, 1517799552000, 3, external_tracking="322324324", shipment_content="test 10",
                merchant="Amazon.com", shipment_value=10, shipping_charge_total=6.5, invoice_required=0,
                shipment_status="PAY"),
            row(13818527, 1515037237000, 4, external_tracking="test_co123nopb1", shipment_content="podadora",
                shipment_status="PAY",
                merchant="Amazon.com", shipment_value=20, shipping_charge_rate=30.5, shipping_charge_total=30.5,
                weight_charged=45.13, weight_physical=6.6139, weight_volumetric=45.13, invoice_required=0)]


def generated_rows(count, span_days, seed, first_awb):
    rnd = random.Random(seed)
    now = today_ms()
    return [row(first_awb + i, now - rnd.randrange(span_days * DAY_MS), i) for i in range(count)]


def messy_rows():
    now = today_ms()
    return [
        row(20000001, now - DAY_MS, 1),
        row("20000002", now - 2 * DAY_MS, 2),                      # the AWB as a string
        row(20000003, now - 3 * DAY_MS, 3, date_received=None),     # no date: listed last
        row(20000004, now - 4 * DAY_MS, 4, **{k: None for k in ("merchant", "shipment_content",
                                                               "shipment_value", "weight_charged")}),
        row(20000005, now - 5 * DAY_MS, 5, merchant=42, shipment_content=["x"], shipment_status={"a": 1},
            shipment_value="12.5", weight_charged="heavy", shipping_charge_total=True,
            invoice_required="yes", date_manifested=17),           # every field mistyped
        row(20000006, now - 6 * DAY_MS, 6, merchant="Evil\x1b]0;pwned\x07\x1b[2J Corp\u202e",
            shipment_content="\u009b31mred\r\nline"),               # hostile strings
        row(-7, now - 7 * DAY_MS, 7),                               # no valid AWB: skipped, counted
        row(1.5, now - 8 * DAY_MS, 8),
        {k: v for k, v in row(20000009, now - 9 * DAY_MS, 9).items() if k != "trck_nmr_fol"},
        row(20000010, now - 10 * DAY_MS, 10, merchant="山田商店 ＡＢＣ", shipment_content="José Ñúñez"),
        "not a row",
    ]


def rows_of(email):
    if email == "johndoe@email.com":
        # The documented two, and a dozen recent ones for the default window.
        return documented_rows() + generated_rows(12, 80, 7, 14000000)
    if email == "many@example.com":
        return generated_rows(10000, 5 * 365, 1, 30000000)
    if email == "bulk@example.com":
        return generated_rows(10000, 89, 2, 40000000)
    if email == "noshipments@example.com":
        return []
    if email == "messy@example.com":
        return messy_rows()
    if email == "c1text@example.com":
        return c1_rows()
    if email == "bigawb@example.com":
        return [row(2 ** 53 - 1, today_ms() - DAY_MS), row(str(2 ** 53 - 2), today_ms() - 2 * DAY_MS)]
    seed = zlib.crc32(email.encode()) & 0xffff
    return generated_rows(12, 80, seed, 50000000 + seed * 100)


def in_window(r, start, end):
    """Whether row r was received between the dates (YYYY-MM-DD, inclusive); undated rows
    are always listed, as the real API lists them."""
    try:
        ms = int(r["date_received"][6:-7])
    except (TypeError, ValueError, KeyError):
        return True
    day = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).date().isoformat()
    return start <= day <= end


def profile(email, rec):
    box = rec["customer_box_id"]
    return [{
        "_verify": True, "cust_id": 51736850 if email == "johndoe@email.com" else 51000000 + int(box) % 100000,
        "customer_address": [{
            "_verify": True, "address_01": "123 Fake St.", "address_id": 123999465, "city_code": 95411,
            "city_name": "Calvillo", "country_code": 155, "country_name": "Mexico", "ctry_iso_code": "MX",
            "cust_id": 51736850, "error": dict(NO_ERROR), "locality_town": "Locality/Town",
            "neighborhood": "Neighborhood", "phone_area": "+1", "phone_extension": "333",
            "phone_number": "123456789", "state_code": 2761, "state_name": "Aguascalientes", "zip_code": "998877"}],
        "customer_birth_date": wcf(335505600000, "-0400"), "customer_campaign": "Test Campaign",
        "customer_email": PROFILE_EMAIL.get(email, email).upper(), "customer_email_agreement": False,
        "customer_first_name": rec.get("customer_first_name"), "customer_gender": "M",
        "customer_identity_number": "11111111", "customer_last_name": rec.get("customer_last_name"),
        "customer_phone": [
            {"_verify": True, "cust_id": 51736850, "error": dict(NO_ERROR), "phone_area_code": "+1",
             "phone_extension": "333", "phone_id": 1190087, "phone_number": "123456789", "phone_type": 1},
            {"_verify": True, "cust_id": 51736850, "error": dict(NO_ERROR), "phone_area_code": "+1",
             "phone_extension": "", "phone_id": 1190089, "phone_number": "987654321", "phone_type": 2}],
        "customer_refered_by": 0, "customer_tax_number": 0, "error": dict(NO_ERROR),
        "is_active": rec.get("is_active"), "is_business": rec.get("is_business"),
        "is_enable": rec.get("is_enable"), "is_vip": rec.get("is_vip")}]


def events(awb, received_ms, hostile=False):
    ev = [{"_verify": True, "entry_date": wcf(received_ms + k * 3600 * 1000), "error": dict(NO_ERROR),
           "track_cdg": code, "track_description": desc, "iata_code": loc, "track_obs": obs}
          for k, (code, desc, loc, obs) in enumerate([("REC", "RECEIVED", "MIA", ""),
                                                      ("PAY", "BILLED", "MIA", ""),
                                                      ("MAN", "MANIFESTED", "MIA", "Flight AV 25"),
                                                      ("DEL", "DELIVERED", "BOG", "Signed by H. Sperber")])]
    if hostile:
        ev[1]["track_description"] = "BILLED\x1b]52;c;cHduZWQ=\x07\u202e"
        ev[2]["entry_date"] = "garbage"         # no valid date: skipped, counted
        ev.append({"_verify": True, "entry_date": None, "track_cdg": "X"})
        ev.append("not an event")
    return ev


def doc_events():
    return [{"_verify": True, "entry_date": wcf(ms), "error": dict(NO_ERROR), "iata_code": "MIA",
             "track_cdg": code, "track_description": desc, "track_obs": "", "trck_nmr_fol": 13869085}
            for code, desc, ms in DOC_TRACKING]


def shipment(rec, r, hostile=False):
    awb = r["trck_nmr_fol"]
    try:
        received = int(r["date_received"][6:-7])
    except (TypeError, ValueError, KeyError):
        received = today_ms() - 3 * DAY_MS
    return [{"_verify": True, "consolidation": None, "error": dict(NO_ERROR), "invoice": None, "pre_recept": None,
             "shipment": {"_verify": True, "address": "CARRERA 20 NO 40 - 77", "boxs_id": rec["customer_box_id"],
                          "charged_weight": r.get("weight_charged"), "city_iata_code_origin": "MIA",
                          "city_name": "Bogota", "content": r.get("shipment_content"),
                          "country_iso_code": "CO", "country_name": "Colombia", "iata_code": "BOG",
                          "iata_code_origin": "MIA", "merchant_name": r.get("merchant"), "name": "HANS SPERBER",
                          "physical_weight": r.get("weight_physical"), "price_value": r.get("shipment_value"),
                          "quantity": 1, "state_name": "Distrito Capital de Bogota", "status_code": 1,
                          "status_name": "Active", "total_shipping": r.get("shipping_charge_total"),
                          "trck_nmr_fol": awb, "weight_unit": "LB", "error": dict(NO_ERROR)},
             "tracking": {"not": "a list"} if hostile == "object" else
             doc_events() if awb == 13869085 else events(awb, received, bool(hostile))}]


def c1_shipment(s):
    """Shipment details and tracking texts whose UTF-8 holds C1-looking bytes."""
    s["shipment"].update(name="\u00dd0;\u00c5SA \u00d8STERG\u00c5RD", city_name="Bogot\u00e1 \u00db",
                         status_name="\u00dbActive\u2019s")
    for e in s["tracking"]:
        e["track_description"] = "\u00dd0;" + e["track_description"] + " \u2014 \u00db2J"
        e["track_obs"] = "Firm\u00f3 \u201cS\u00e9\u201d \u2026 \u00dd"


def refused(description=""):
    return [{"_verify": False, "error": {"error_description": description, "error_location": "",
                                         "system_error": False}}]


# What the changes did, in this server process: email -> password set, and the old emails
# of the accounts that moved (stand_in_api's login reads both).
PASSWORDS = {}
MOVED = set()
CHANGED = set()


def password_of(email, default):
    return PASSWORDS.get(email, default)


def write(api_path, req, email, rec, accounts):
    """Carries out a change for the account email (login record rec, changed in place)."""
    if email == "refusechange@example.com":
        return json_body(refused("Changes to this account are locked (case 4711)"))
    base = {"_verify": True, "customer_box_id": rec["customer_box_id"], "error": dict(NO_ERROR)}
    apply = email != "noopchange@example.com"
    if api_path == PASSWORD_PATH:
        new = req.get("customer_new_password")
        if not isinstance(new, str) or str(req.get("customer_email", "")).strip().lower() != email:
            return json_body(refused("The email does not match the account"))
        if apply:
            PASSWORDS[email] = new
            CHANGED.add(email)
        out = dict(base, updated_rows=1 if apply else 0)
    elif api_path == EMAIL_PATH:
        new = str(req.get("customer_new_email", "")).strip().lower()
        if "@" not in new:
            return json_body(refused("The new email is not valid"))
        if accounts.get(new) is not None or new in MOVED or new in PASSWORDS:
            return json_body(refused("The email is already registered"))
        key = rec["customer_key"]
        if apply:
            key = "moved-%d-%s" % (rec["customer_box_id"], zlib.crc32(new.encode()))
            rec["customer_key"] = key
            accounts[new] = rec
            accounts[email] = None
            if email in PASSWORDS:
                PASSWORDS[new] = PASSWORDS.pop(email)
            MOVED.add(email)
            CHANGED.add(new)
        out = dict(base, customer_email=new.upper(), customer_key=key)
    else:
        for flag, field in (("customer_is_vip", "is_vip"), ("customer_is_business", "is_business")):
            if flag in req:
                if not isinstance(req[flag], bool):
                    return json_body(refused("%s must be a boolean" % flag))
                if apply:
                    rec[field] = req[flag]
        if apply:
            CHANGED.add(email)
        out = dict(base, is_vip=rec.get("is_vip"), is_business=rec.get("is_business"))
    if email == "lostreply@example.com":
        return "reset"
    return json_body([out])


def reply(api_path, req, accounts):
    """The reply (status, content type, body) to an account call, or None when api_path is
    not one. accounts maps each email to its login record (a dict) or None."""
    if api_path not in PATHS:
        return None
    if not isinstance(req, dict):
        return 400, "text/plain", b"bad request\n"
    if api_path in (PARTNER_PATH, PARTNER_DOC_PATH):
        email = str(req.get("customer_email", "")).strip().lower()
        if (api_path == PARTNER_PATH) == (email == "docpartner@example.com"):
            return 404, "text/html", b"<html>Endpoint not found.</html>"
        if email == "nopartner@example.com":
            return json_body(refused("User is not authorized to use this method"))
        if email in PARTNER_STATUS:
            return PARTNER_STATUS[email], "application/json", json.dumps(
                refused("Forbidden")).encode()
        if email in PARTNER_OTHER:
            return json_body([PARTNER_OTHER[email]])
        bulk = check_reply(email)
        if bulk is not None:
            return bulk
        rec = accounts.get(email)
        if rec is None:
            return json_body(refused("The email is not registered"))
        return json_body([rec])
    # Several test accounts share the documented box ID: the key tells them apart.
    email, rec = next(((e, r) for e, r in accounts.items()
                       if r is not None and str(r.get("customer_box_id")) == str(req.get("customer_box_id"))
                       and r.get("customer_key") == req.get("customer_key")), (None, None))
    if rec is None or email == "refusedkey@example.com":
        return json_body(refused())
    if api_path in WRITE_PATHS:
        return write(api_path, req, email, rec, accounts)
    if api_path == PROFILE_PATH:
        return json_body(profile(email, rec))
    if api_path == SHIPMENTS_PATH:
        start, end = req.get("start_date"), req.get("end_date")
        if not (isinstance(start, str) and isinstance(end, str)):
            return 400, "text/plain", b"start_date and end_date are sent\n"
        if email == "hugeshipments@example.com":
            return "huge-shipments"
        if email == "stallhalf@example.com":
            return "stall-half"
        return json_body([r for r in rows_of(email) if not isinstance(r, dict) or in_window(r, start, end)])
    if email == "slowtrack@example.com":
        return "stall-half"
    if (api_path == SHIPMENT_PATH) == (email == "oldpath@example.com"):
        return 404, "text/html", b"<html>Endpoint not found.</html>"
    awb = req.get("trck_nmr_fol")
    for r in rows_of(email):
        if isinstance(r, dict) and str(r.get("trck_nmr_fol")) == str(awb):
            hostile = email == "messy@example.com" and ("object" if str(awb) == "20000002" else True)
            body = shipment(rec, r, hostile)
            if email == "c1text@example.com":
                c1_shipment(body[0])
            return json_body(body)
    return json_body(refused("The shipment %s does not belong to this customer" % awb))


def json_body(obj):
    return 200, "application/json; charset=utf-8", json.dumps(obj).encode()
