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
DETAILS_PATH = "/service-customer.svc/customer/customer-update-personal-info"
ADDRESS_PATH = "/service-customer.svc/customer/customer-update-address-info"
WRITE_PATHS = (PASSWORD_PATH, EMAIL_PATH, TYPE_PATH, DETAILS_PATH, ADDRESS_PATH)
COUNTRIES_PATH = "/service-geographic.svc/geographic/geographic-get-countries"
STATES_PATH = "/service-geographic.svc/geographic/geographic-get-states"
CITIES_PATH = "/service-geographic.svc/geographic/geographic-get-cities"
GEO_PATHS = (COUNTRIES_PATH, STATES_PATH, CITIES_PATH)
PATHS = (PROFILE_PATH, SHIPMENTS_PATH, SHIPMENT_PATH, SHIPMENT_DOC_PATH, PARTNER_PATH, PARTNER_DOC_PATH) + \
    WRITE_PATHS + GEO_PATHS

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
    "details@example.com": ("an account to change details and address (home and mobile phones; the "
                            "address's own phone is the home one)",
                            login_record("details@example.com", 811317, "Dina", "Details")),
    "noaddress@example.com": ("an account without an address (one mobile phone)",
                              login_record("noaddress@example.com", 811318, "Nadia", "Noaddress")),
    "bogota@example.com": ("an address in Bogot\u00e1 whose own phone is the mobile one",
                           login_record("bogota@example.com", 811319, "Beto", "Bogota")),
    "longtext@example.com": ("shipments with long shop names and contents",
                             login_record("longtext@example.com", 811324, "Lena", "Longtext")),
    # Addresses and phones that a change must carry over as the server has them, or refuse.
    "rawtext@example.com": ("an address with CR/LF and a tab, a phone with a CR: written back as they are",
                            login_record("rawtext@example.com", 811325, "Rafa", "Raw")),
    "latin1@example.com": ("an address whose neighborhood is Latin-1 bytes, not UTF-8",
                           login_record("latin1@example.com", 811326, "Lia", "Latin")),
    "nultext@example.com": ("an address whose line holds \\u0000",
                            login_record("nultext@example.com", 811327, "Nuno", "Nul")),
    "upperstate@example.com": ("an address in Bogot\u00e1 whose profile writes the state and country in "
                               "capitals (the places lists do not)",
                               login_record("upperstate@example.com", 811328, "Ursula", "Upper")),
    "partphone@example.com": ("an address change answered yes with a phone element that says no (and the "
                              "phone not made)", login_record("partphone@example.com", 811329, "Paco", "Part")),
    "badphone@example.com": ("phones that cannot be read: one without a number, one that is not an object",
                             login_record("badphone@example.com", 811330, "Bela", "Badphone")),
    "dupphone@example.com": ("an address change after which the address's own phone is listed twice",
                             login_record("dupphone@example.com", 811331, "Duda", "Dup")),
    "dropfield@example.com": ("an address change after which an unchanged field is emptied",
                              login_record("dropfield@example.com", 811332, "Dora", "Drop")),
    "innerno@example.com": ("an address change refused with the words on a phone element only",
                            login_record("innerno@example.com", 811333, "Ines", "Inner")),
    "innerok@example.com": ("an address change answered yes with a phone element that says no, and all of "
                            "it made", login_record("innerok@example.com", 811334, "Ivo", "Innerok")),
    "lostemail@example.com": ("an email change applied, then the connection reset before the reply",
                              login_record("lostemail@example.com", 811335, "Lea", "Lostemail")),
    "lostearly@example.com": ("the connection reset before an email change was made (nothing changed)",
                              login_record("lostearly@example.com", 811336, "Leo", "Lostearly")),
    "growphone@example.com": ("a phone added by someone else on the 2nd profile read (after a plan)",
                              login_record("growphone@example.com", 811337, "Gala", "Grow")),
    "closeprofile@example.com": ("a profile reply that closes its connection (the write then makes a new one)",
                                 login_record("closeprofile@example.com", 811338, "Cora", "Close")),
    "slowwrite@example.com": ("a change made at once and answered after 2 s",
                              login_record("slowwrite@example.com", 811339, "Saul", "Slowwrite")),
    "longrefuse@example.com": ("every change refused with a long description (LONG_REFUSAL)",
                               login_record("longrefuse@example.com", 811340, "Lars", "Longrefuse")),
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
    if email == "longtext@example.com":
        # Long shop names and contents: the table caps them, the status stays near the AWB.
        now = today_ms()
        return [row(70000001, now - DAY_MS, 1, merchant="The Very Long Name Of A Department Store Inc.",
                    shipment_content="A long description of the parcel, with sizes, colours and more"),
                row(70000002, now - 2 * DAY_MS, 2)]
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


# The places lists (geographic-get-*): names with accents and shared prefixes.
COUNTRIES = [(11, "AR", "Argentina", "54"), (48, "CO", "Colombia", "57"), (52, "CR", "Costa Rica", "506"),
             (155, "MX", "Mexico", "52"), (170, "PE", "Per\u00fa", "51"), (156, "CN", "China", "86")]
STATES = {
    48: [(3001, "Cundinamarca"), (3002, "Distrito Capital de Bogot\u00e1"), (3003, "Guaviare"), (3004, "Antioquia")],
    155: [(2761, "Aguascalientes"), (2762, "Baja California"), (2763, "Baja California Sur")],
    52: [(3101, "San Jos\u00e9")],
    156: [(3201, "\u5317\u4eac\u5e02"), (3202, "\u4e0a\u6d77\u5e02")],  # Beijing, Shanghai
}
CITIES = {
    3001: [(139207, "Bogot\u00e1"), (139208, "Bogot\u00e1 Rural"), (139210, "Ch\u00eda"), (139211, "Soacha"),
           (139212, "San Juan de Rioseco"), (139213, "San Juanito")],
    3002: [(139300, "Bogot\u00e1 D.C.")],
    3003: [(140001, "San Jos\u00e9 del Guaviare"), (140004, "San Jos\u00e9"), (140002, "Calamar"),
           (140003, "El Retorno")],
    3004: [(150001, "Medell\u00edn"), (150002, "Envigado")],
    2761: [(95410, "Asientos"), (95411, "Calvillo")],
    2762: [(95500, "Mexicali"), (95501, "Tijuana")],
    3101: [(160001, "Escaz\u00fa")],
    3201: [(170001, "\u4e1c\u57ce\u533a")],  # Dongcheng
    3202: [(170101, "\u9ec4\u6d66\u533a")],  # Huangpu
}


def city_info(code):
    """The address fields of a city code, or None when there is no such city."""
    for state, cities in CITIES.items():
        for c, name in cities:
            if c == code:
                country = next(k for k, v in STATES.items() if any(s == state for s, _ in v))
                sname = next(n for s, n in STATES[country] if s == state)
                iso, cname = next((i, n) for k, i, n, _ in COUNTRIES if k == country)
                return {"city_code": c, "city_name": name, "state_code": state, "state_name": sname,
                        "country_code": country, "country_name": cname, "ctry_iso_code": iso}
    return None


def geo_reply(api_path, req):
    err = dict(NO_ERROR)
    if api_path == COUNTRIES_PATH:
        return json_body([{"_verify": True, "country_code": k, "country_iso_code": iso, "country_name": n,
                           "ctry_code_phone": ph, "error": err} for k, iso, n, ph in COUNTRIES])
    if api_path == STATES_PATH:
        k = req.get("country_code")
        iso = next((i for c, i, _, _ in COUNTRIES if c == k), None)
        return json_body([{"_verify": True, "country_code": k, "country_iso_code": iso, "error": err,
                           "state_code": s, "state_name": n} for s, n in STATES.get(k, [])])
    k = req.get("state_code")
    rows = []
    for c, n in CITIES.get(k, []):
        info = city_info(c)
        rows.append({"_verify": True, "city_code": c, "city_name": n, "country_code": info["country_code"],
                     "country_iso_code": info["ctry_iso_code"], "error": err, "state_code": k})
    if k == 3004:
        rows.append({"_verify": True, "city_code": "not a code", "city_name": "Nowhere", "error": err})
    return json_body(rows)


def phone(area, number, ext, ptype, pid):
    return {"_verify": True, "cust_id": 51736850, "error": dict(NO_ERROR), "phone_area_code": area,
            "phone_extension": ext, "phone_id": pid, "phone_number": number, "phone_type": ptype}


def address(city_code, line1, **phone_parts):
    a = {"_verify": True, "address_01": line1, "address_id": 123999465, "cust_id": 51736850,
         "error": dict(NO_ERROR), "locality_town": "Locality/Town", "neighborhood": "Neighborhood",
         "phone_area": "+1", "phone_extension": "333", "phone_number": "123456789", "zip_code": "998877"}
    a.update(city_info(city_code))
    a.update(phone_parts)
    return a


def initial_state(email):
    """What an account's profile holds beyond its login record, before any change."""
    st = {"identity": "11111111", "tax": 0, "birth": wcf(335505600000, "-0400"), "gender": "M",
          "address": [address(95411, "123 Fake St.")],
          "phones": [phone("+1", "123456789", "333", 1, 1190087), phone("+1", "987654321", "", 2, 1190089)]}
    if email == "noaddress@example.com":
        st["address"] = []
        st["phones"] = [phone("57", "3009998877", "", 2, 1190090)]
    elif email == "bogota@example.com":
        st["address"] = [address(139207, "Calle 100 # 10-20", phone_area="57", phone_number="3001234567",
                                 phone_extension="", neighborhood="Chic\u00f3", locality_town="Usaqu\u00e9n",
                                 zip_code="110111")]
        st["phones"] = [phone("57", "6011234567", "", 1, 1190091), phone("57", "3001234567", "", 2, 1190092)]
    elif email == "rawtext@example.com":
        st["address"] = [address(95411, "Calle 5\r\nApto 2", neighborhood="Centro\tNorte",
                                 locality_town="Pueblo\u0085Viejo")]
        st["phones"] = [phone("+1", "123456789", "333", 1, 1190087), phone("+1", "987654321\r", "", 2, 1190089)]
    elif email == "latin1@example.com":
        # \udce9 is the byte 0xe9 (Latin-1 "\u00e9"), written raw by json_body.
        st["address"] = [address(95411, "123 Fake St.", neighborhood="Bogot\udce9")]
    elif email == "nultext@example.com":
        st["address"] = [address(95411, "Calle 9\u0000B")]
    elif email in ("upperstate@example.com", "dupphone@example.com", "partphone@example.com"):
        st["address"] = [address(139207, "Calle 100 # 10-20", phone_area="57", phone_number="3001234567",
                                 phone_extension="", zip_code="110111")]
        st["phones"] = [phone("57", "6011234567", "", 1, 1190091), phone("57", "3001234567", "", 2, 1190092)]
    elif email == "badphone@example.com":
        st["phones"] = [phone("+1", "123456789", "333", 1, 1190087), phone("+1", "", "", 2, 1190089),
                        "+1 555 0100"]
    return st


# The profile beyond the login record, per account record (the record moves with an email change).
STATE = {}


def state_of(email, rec):
    return STATE.setdefault(id(rec), initial_state(email))


PROFILE_READS = {}


def profile(email, rec):
    box = rec["customer_box_id"]
    st = state_of(email, rec)
    PROFILE_READS[email] = PROFILE_READS.get(email, 0) + 1
    if email == "growphone@example.com" and PROFILE_READS[email] == 2:
        # Someone else adds a mobile phone between the plan and the write.
        st["phones"] = st["phones"] + [phone("57", "3157654321", "", 2, 1190093)]
    return [{
        "_verify": True, "cust_id": 51736850 if email == "johndoe@email.com" else 51000000 + int(box) % 100000,
        "customer_address": ([dict(a, state_name=a["state_name"].upper(), country_name=a["country_name"].upper())
                              for a in st["address"]] if email == "upperstate@example.com" else st["address"]),
        "customer_birth_date": st["birth"], "customer_campaign": "Test Campaign",
        "customer_email": PROFILE_EMAIL.get(email, email).upper(), "customer_email_agreement": False,
        "customer_first_name": rec.get("customer_first_name"), "customer_gender": st["gender"],
        "customer_identity_number": st["identity"], "customer_last_name": rec.get("customer_last_name"),
        "customer_phone": st["phones"],
        "customer_refered_by": 0, "customer_tax_number": st["tax"], "error": dict(NO_ERROR),
        "is_active": rec.get("is_active"), "is_business": rec.get("is_business"),
        "is_enable": rec.get("is_enable"), "is_vip": rec.get("is_vip")}]


def write_details(req, email, rec, apply):
    """customer-update-personal-info: what is sent (and not null) changes; the rest is kept."""
    st = state_of(email, rec)
    new = {}
    for key in ("customer_first_name", "customer_last_name", "customer_identity_number"):
        v = req.get(key)
        if v is not None:
            if not isinstance(v, str) or not v.strip():
                return refused("%s must be text" % key)
            new[key] = v
    tax = req.get("customer_tax_number")
    if tax is not None and (isinstance(tax, bool) or not isinstance(tax, int) or tax < 0):
        return refused("customer_tax_number must be a number")
    birth = req.get("customer_birth_date")
    if birth is not None:
        try:
            day = datetime.date.fromisoformat(birth)
        except (TypeError, ValueError):
            return refused("customer_birth_date must be YYYY-MM-DD")
        # Midnight in the server's -0500.
        ms = int(datetime.datetime(day.year, day.month, day.day, 5,
                                   tzinfo=datetime.timezone.utc).timestamp() * 1000)
    gender = req.get("customer_gender")
    if gender is not None and gender not in ("M", "F"):
        return refused("customer_gender must be M or F")
    if apply:
        if "customer_first_name" in new:
            rec["customer_first_name"] = new["customer_first_name"]
        if "customer_last_name" in new:
            rec["customer_last_name"] = new["customer_last_name"]
        if "customer_identity_number" in new:
            st["identity"] = new["customer_identity_number"]
        if tax is not None:
            st["tax"] = tax
        if birth is not None:
            st["birth"] = wcf(ms, "-0500")
        if gender is not None:
            st["gender"] = gender
        CHANGED.add(email)
    return None, {"_verify": True, "cust_id": 51736835, "customer_birth_date": st["birth"],
                  "customer_first_name": rec.get("customer_first_name"), "customer_gender": st["gender"],
                  "customer_identity_number": st["identity"], "customer_last_name": rec.get("customer_last_name"),
                  "customer_tax_number": st["tax"], "error": dict(NO_ERROR)}


ADDRESS_KEYS = ("city_code", "city_name", "phone_area", "phone_number", "locality_town", "neighborhood",
                "address_01", "zip_code")


def bare(area):
    return str(area or "").lstrip("+ ")


def write_address(req, email, rec, apply):
    """customer-update-address-info, as SkyPostal documents it: each field of the one address
    element is set unless it is "" (0 for city_code); customer_phone replaces every phone
    except the one associated with the address."""
    st = state_of(email, rec)
    addrs, phones = req.get("customer_address"), req.get("customer_phone")
    if not isinstance(addrs, list) or len(addrs) != 1 or not isinstance(addrs[0], dict):
        return refused("customer_address cannot be null or an empty array")
    if not isinstance(phones, list):
        return refused("customer_phone cannot be null")
    if not st["address"]:
        return refused("The customer has no address")
    a = addrs[0]
    for key in ADDRESS_KEYS:
        if key not in a:
            return refused("%s is required" % key)
    code = a["city_code"]
    if isinstance(code, bool) or not isinstance(code, int):
        return refused("city_code must be a number")
    if code != 0 and city_info(code) is None:
        return refused("The city %s does not exist" % code)
    for p in phones:
        if not (isinstance(p, dict) and isinstance(p.get("phone_area_code"), str) and
                isinstance(p.get("phone_number"), str) and p["phone_number"] and
                p.get("phone_type") in (1, 2)):
            return refused("Each phone needs phone_area_code, phone_number and phone_type 1 or 2")
    cur = dict(st["address"][0])
    if code != 0:
        cur.update(city_info(code))
    for key in ("locality_town", "neighborhood", "address_01", "zip_code", "phone_area", "phone_number"):
        if not isinstance(a[key], str):
            return refused("%s must be text" % key)
        if a[key] != "":
            cur[key] = a[key]
    if a["phone_number"] != "":
        cur["phone_extension"] = str(a.get("phone_extension") or "")
    own = (bare(cur["phone_area"]), cur["phone_number"], cur["phone_extension"] or "")
    old_own = next((p for p in st["phones"]
                    if (bare(p["phone_area_code"]), p["phone_number"], p["phone_extension"] or "") ==
                    (bare(st["address"][0]["phone_area"]), st["address"][0]["phone_number"],
                     st["address"][0]["phone_extension"] or "")), None)
    new_phones, next_id = [], 1190200 + len(st["phones"]) * 7
    for i, p in enumerate(phones):
        new_phones.append(phone(p["phone_area_code"], p["phone_number"], str(p.get("phone_extension") or ""),
                                p["phone_type"], next_id + i))
    if not any((bare(p["phone_area_code"]), p["phone_number"], p["phone_extension"]) == own for p in new_phones):
        # The phone associated with the address is never deleted.
        new_phones.insert(0, phone(cur["phone_area"], own[1], own[2],
                                   old_own["phone_type"] if old_own else 1, next_id + 99))
    if email == "innerno@example.com":
        return [{"_verify": False, "error": dict(NO_ERROR), "customer_address": [dict(cur)],
                 "customer_phone": [dict(new_phones[0], _verify=False,
                                         error={"error_description": "Phone area 1 is not allowed (case 88)",
                                                "error_location": "", "system_error": False})]}]
    inner = None
    if email == "innerok@example.com":
        # Everything made, and yet one phone element says no.
        inner = dict(new_phones[-1], _verify=False,
                     error={"error_description": "Phone could not be indexed (case 91)",
                            "error_location": "customer_phone", "system_error": False})
    elif email == "partphone@example.com":
        # The last phone is refused on its own: not made, and its element says why.
        i = next(i for i, p in enumerate(new_phones)
                 if (bare(p["phone_area_code"]), p["phone_number"], p["phone_extension"]) != own)
        inner = dict(new_phones.pop(i), _verify=False,
                     error={"error_description": "The phone number is not valid for its area",
                            "error_location": "customer_phone", "system_error": False})
    elif email == "dupphone@example.com":
        new_phones.append(phone(cur["phone_area"], own[1], own[2], 2, next_id + 98))
    elif email == "dropfield@example.com":
        cur["locality_town"] = ""
    if apply:
        st["address"] = [cur]
        st["phones"] = new_phones
        CHANGED.add(email)
    return None, {"_verify": True, "customer_address": [dict(cur)],
                  "customer_phone": new_phones + ([inner] if inner else []), "error": dict(NO_ERROR)}


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


# About 200 characters, ending in a word a test looks for: the screen shows them whole.
LONG_REFUSAL = ("This account is under a compliance review opened by the fraud team and no "
                "change to its type, address, email or password can be made until the review "
                "is closed by the team lead; ticket reference Zanzibarite")


def write(api_path, req, email, rec, accounts):
    """Carries out a change for the account email (login record rec, changed in place)."""
    if email == "refusechange@example.com":
        return json_body(refused("Changes to this account are locked (case 4711)"))
    if email == "longrefuse@example.com":
        return json_body(refused(LONG_REFUSAL))
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
    elif api_path in (DETAILS_PATH, ADDRESS_PATH):
        done = (write_details if api_path == DETAILS_PATH else write_address)(req, email, rec, apply)
        if isinstance(done, list):  # refused
            return json_body(done)
        out = done[1]
    elif api_path == EMAIL_PATH:
        new = str(req.get("customer_new_email", "")).strip().lower()
        if "@" not in new:
            return json_body(refused("The new email is not valid"))
        if accounts.get(new) is not None or new in MOVED or new in PASSWORDS:
            return json_body(refused("The email is already registered"))
        key = rec["customer_key"]
        if email == "lostearly@example.com":
            return "reset"
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
    if email in ("lostreply@example.com", "lostemail@example.com"):
        return "reset"
    if email == "slowwrite@example.com":
        return "delay", 2.0, json_body([out])
    return json_body([out])


def reply(api_path, req, accounts):
    """The reply (status, content type, body) to an account call, or None when api_path is
    not one. accounts maps each email to its login record (a dict) or None."""
    if api_path not in PATHS:
        return None
    if not isinstance(req, dict):
        return 400, "text/plain", b"bad request\n"
    if api_path in GEO_PATHS:
        return geo_reply(api_path, req)
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
        if email == "closeprofile@example.com":
            return "close", json_body(profile(email, rec))
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
    # A lone surrogate \udc80-\udcff stands for that raw byte (not UTF-8), as Python's
    # surrogateescape writes it.
    data = re.sub(rb"(?<!\\)((?:\\\\)*)\\udc([89a-f][0-9a-f])",
                  lambda m: m.group(1) + bytes([int(m.group(2), 16)]), json.dumps(obj).encode())
    return 200, "application/json; charset=utf-8", data
