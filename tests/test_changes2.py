"""The changes, part two (SPEC "Changes: what an agent fixes"): set-details, set-address
and places with the real binary against the TLS stand-in, which carries the changes out
per server process the way SkyPostal documents them (customer_phone replaces every
phone but the address's own)."""
import json
import os
import ssl
import unittest
import urllib.request

import harness

DETAILS = "details@example.com"
BOGOTA = "bogota@example.com"


class Changes2(harness.FreshApiTestCase):
    def setUp(self):
        super().setUp()
        self.env = harness.clean_env(self.home)

    def bl(self, *args, stdin=""):
        return harness.boxlogin([*args, "--no-keyring", "--base-url", self.api.base_url,
                                 "--cacert", self.pki["ca"]], self.env, stdin=stdin)

    def change(self, *args, status=0):
        r = self.bl(*args, "--json", "--yes")
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        return json.loads(r.stdout)

    def usage(self, *args):
        """A usage error: exit 2, one line on stderr, nothing written."""
        self.api.clear()
        r = self.bl(*args, "--yes")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertEqual(self.writes(), [])
        return r.stderr

    def writes(self):
        return [q for q in self.api.posts() if "customer-update" in q["path"]]

    def calls(self, leaf):
        return [q for q in self.api.posts() if q["path"].endswith(leaf)]

    def profile(self, email):
        r = self.bl("profile", email, "--json", "--password-stdin", stdin=harness.PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)["profile"]

    def phones(self, email):
        # Areas are sent without '+' (as SkyPostal's example does): compared without it.
        return sorted((p["type"], p["number"].lstrip("+")) for p in self.profile(email)["phones"])

    def history(self):
        path = os.path.join(self.home, ".local", "state", "boxlogin", "history")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    # An address plan confirmed late (SPEC step 4: customer_phone replaces every phone)

    def profile_reads(self):
        return self.calls("service-customer.svc/customer/customer-get-info")

    def hooks(self, *args, status=0, stale_ms=0):
        env = dict(self.env, BOXLOGIN_TEST_STALE_MS=str(stale_ms))
        r = harness.boxlogin([*args, "--json", "--yes", "--no-keyring", "--base-url", self.api.base_url,
                              "--cacert", self.pki["ca"]], env,
                             binary=os.path.join(harness.BUILD, "tests", "boxlogin-hooks"))
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        return r

    def test_an_address_confirmed_late_after_a_phone_was_added_sends_nothing(self):
        # The agent answers 6 s after the review; meanwhile someone added a mobile phone
        # (the stand-in adds it on the 2nd read). The write would have deleted it.
        import pty
        import select
        import time
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(harness.BIN, [harness.BIN, "set-address", "growphone@example.com", "--zip", "110221",
                                    "--no-keyring", "--base-url", self.api.base_url, "--cacert", self.pki["ca"]],
                      self.env)
        seen, asked, deadline = b"", None, time.time() + 40
        while time.time() < deadline:
            if asked is None and b"Apply this change?" in seen:
                asked = time.time()
            if asked is not None and time.time() - asked > 6:
                os.write(fd, b"y\n")
                asked = float("inf")
            r, _, _ = select.select([fd], [], [], 0.1)
            if fd in r:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                seen += data
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        screen = seen.decode("utf-8", "replace")
        self.assertEqual(os.waitstatus_to_exitcode(status), 1, screen)
        self.assertIn("the account changed while the change was being confirmed; nothing was sent", screen)
        self.assertEqual(self.writes(), [])
        self.assertEqual(len(self.profile_reads()), 2)
        line = [x for x in self.history() if x["action"] == "set-address"][-1]
        self.assertEqual((line["outcome"], line["fields"]), ("cancelled", ["zip"]))
        self.assertIn(("mobile", "57 3157654321"), self.phones("growphone@example.com"))

    def test_a_stale_address_plan_that_still_holds_is_sent(self):
        r = self.hooks("set-address", DETAILS, "--zip", "110221")
        out = json.loads(r.stdout)
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        self.assertEqual(len(self.writes()), 1)
        self.assertEqual(len(self.profile_reads()), 3)  # before, again, read back

    def test_a_stale_address_plan_that_changed_is_not_sent_json(self):
        r = self.hooks("set-address", "growphone@example.com", "--zip", "110221", status=1)
        self.assertEqual(json.loads(r.stdout)["error"]["kind"], "rejected")
        self.assertEqual(self.writes(), [])

    def test_a_fresh_address_plan_and_other_kinds_read_no_more(self):
        self.change("set-address", DETAILS, "--zip", "110221")
        self.assertEqual(len(self.profile_reads()), 2)  # before, read back
        self.api.clear()
        self.hooks("set-details", DETAILS, "--first-name", "Dana")  # stale, but not an address
        self.assertEqual(len(self.profile_reads()), 2)

    # set-details

    def test_details_sends_only_what_changes_and_verifies_each(self):
        out = self.change("set-details", DETAILS, "--first-name", "Dina", "--last-name", "Détails",
                          "--tax-number", "900123456", "--birth-date", "1990-02-28", "--gender", "f",
                          "--identity-number", "11111111")
        self.assertEqual((out["change"], out["outcome"], out["verified"], out["message"]),
                         ("details", "applied", True, None))
        self.assertEqual(out["fields"], [
            {"field": "last_name", "before": "Details", "after": "Détails"},
            {"field": "tax_number", "before": None, "after": "900123456"},
            {"field": "birth_date", "before": "1980-08-19", "after": "1990-02-28"},
            {"field": "gender", "before": "M", "after": "F"}])
        w = self.writes()
        self.assertEqual(len(w), 1)
        body = w[0]["body"]
        self.assertTrue(w[0]["path"].endswith("customer-update-personal-info"))
        # Unchanged first name and identity number are not sent; the tax number is a number.
        for key in ("customer_first_name", "customer_identity_number"):
            self.assertNotIn(key, body)
        self.assertEqual((body["customer_last_name"], body["customer_tax_number"], body["customer_birth_date"],
                          body["customer_gender"]), ("Détails", 900123456, "1990-02-28", "F"))
        p = self.profile(DETAILS)
        self.assertEqual((p["last_name"], p["tax_number"], p["birth_date"], p["gender"], p["first_name"]),
                         ("Détails", "900123456", "1990-02-28", "F", "Dina"))
        h = [x for x in self.history() if x["action"] == "set-details"]
        self.assertEqual(len(h), 1)
        self.assertEqual((h[0]["outcome"], h[0]["fields"]),
                         ("applied", ["last_name", "tax_number", "birth_date", "gender"]))
        self.assertNotIn("Détails", json.dumps(self.history()))  # names only, never values

    def test_details_nothing_to_change_sends_nothing(self):
        out = self.change("set-details", DETAILS, "--first-name", " Dina ", "--gender", "M")
        self.assertEqual((out["outcome"], out["fields"]), ("nothing", []))
        self.assertEqual(self.writes(), [])
        self.assertFalse([x for x in self.history() if x["action"].startswith("set-")])

    def test_details_bad_values_are_usage_errors_and_send_nothing(self):
        for args, word in ((["--tax-number", "0123"], "--tax-number"),
                           (["--tax-number", "1234567890123456"], "--tax-number"),
                           (["--tax-number", "12a"], "--tax-number"),
                           (["--birth-date", "1990-02-30"], "--birth-date"),
                           (["--birth-date", "19900101"], "--birth-date"),
                           (["--gender", "X"], "--gender"),
                           (["--first-name", "  "], "--first-name"),
                           (["--last-name", "a\x1bb"], "--last-name")):
            err = self.usage("set-details", DETAILS, *args)
            self.assertIn(word, err)
            self.assertEqual(err.count("\n"), 1, err)
            self.assertEqual(self.api.posts(), [])  # not even a lookup
        self.assertIn("set-details needs", self.usage("set-details", DETAILS))
        self.assertIn("go with set-address", self.usage("set-details", DETAILS, "--zip", "1"))
        self.assertIn("go with set-details", self.usage("set-address", DETAILS, "--gender", "F"))

    def test_details_dry_run_shows_the_body_without_secrets(self):
        r = self.bl("set-details", DETAILS, "--tax-number", "42", "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        # The profile shows no tax number (0): null, as the profile's JSON says it.
        self.assertIn("tax_number: (unknown) → 42\n", r.stdout)
        body = json.loads(r.stdout[r.stdout.index("{"):])
        self.assertEqual(body["customer_tax_number"], 42)
        self.assertEqual((body["customer_key"], body["app_key"]), ("(withheld)", "(withheld)"))
        self.assertNotIn("customer_first_name", body)
        self.assertEqual(self.writes(), [])
        self.assertFalse([x for x in self.history() if x["action"].startswith("set-")])

    def test_details_refused_and_not_applied(self):
        out = self.change("set-details", "refusechange@example.com", "--gender", "F", status=1)
        self.assertEqual((out["outcome"], out["message"]),
                         ("rejected", "Changes to this account are locked (case 4711)"))
        out = self.change("set-details", "noopchange@example.com", "--gender", "F", status=4)
        self.assertEqual((out["outcome"], out["verified"]), ("not-applied", False))
        self.assertIn("gender: M", out["message"])
        out = self.change("set-address", "noopchange@example.com", "--no-mobile", status=4)
        self.assertEqual(out["outcome"], "not-applied")
        self.assertIn("mobile: +1 987654321", out["message"])

    # set-address: the phone trap

    def test_a_zip_change_keeps_both_phones(self):
        before = self.phones(DETAILS)
        self.assertEqual(len(before), 2)
        out = self.change("set-address", DETAILS, "--zip", "110221")
        self.assertEqual((out["change"], out["outcome"], out["verified"]), ("address", "applied", True))
        self.assertEqual(out["fields"], [{"field": "zip", "before": "998877", "after": "110221"}])
        w = self.writes()
        self.assertEqual(len(w), 1)
        body = w[0]["body"]
        # Every current value of what does not change, the city as a number...
        self.assertEqual(body["customer_address"], [{
            "city_code": 95411, "city_name": "Calvillo", "phone_area": "1", "phone_number": "123456789",
            "phone_extension": "333", "locality_town": "Locality/Town", "neighborhood": "Neighborhood",
            "address_01": "123 Fake St.", "zip_code": "110221"}])
        # ...and every phone, the areas without '+'.
        self.assertEqual(sorted((p["phone_type"], p["phone_area_code"], p["phone_number"], p["phone_extension"])
                                for p in body["customer_phone"]),
                         [(1, "1", "123456789", "333"), (2, "1", "987654321", "")])
        # The stand-in replaced every phone with what was sent: both are still there.
        self.assertEqual(self.phones(DETAILS), before)
        self.assertEqual(self.profile(DETAILS)["addresses"][0]["zip"], "110221")

    def test_the_stand_in_has_the_trap_a_naive_client_falls_into(self):
        # A zip change sent with an empty customer_phone, as a client that sends only what
        # changes would: SkyPostal (and the stand-in) then deletes every phone but the
        # address's own. This is what set-address must never do.
        body = {"user_code": 396, "app_key": "x", "customer_box_id": 811317, "customer_key": "key-811317-details",
                "customer_address": [{"city_code": 0, "city_name": "", "phone_area": "", "phone_number": "",
                                      "phone_extension": "", "locality_town": "", "neighborhood": "",
                                      "address_01": "", "zip_code": "110221"}],
                "customer_phone": []}
        req = urllib.request.Request(self.api.base_url + "/service-customer.svc/customer/customer-update-address-info",
                                     data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        ctx = ssl.create_default_context(cafile=self.pki["ca"])
        with urllib.request.urlopen(req, context=ctx) as r:
            self.assertIs(json.loads(r.read())[0]["_verify"], True)
        self.assertEqual(self.phones(DETAILS), [("home", "1 123456789 ext 333")])
        self.assertEqual(self.profile(DETAILS)["addresses"][0]["zip"], "110221")

    def test_no_mobile_removes_it_and_keeps_home(self):
        out = self.change("set-address", DETAILS, "--no-mobile")
        self.assertEqual(out["fields"], [{"field": "mobile", "before": "+1 987654321", "after": ""}])
        self.assertEqual(out["outcome"], "applied")
        self.assertEqual(self.phones(DETAILS), [("home", "1 123456789 ext 333")])

    def test_home_replaces_every_home_phone_and_the_address_own(self):
        out = self.change("set-address", DETAILS, "--home", "+57 6017654321 x12")
        self.assertEqual(out["fields"], [{"field": "home", "before": "+1 123456789 ext 333",
                                          "after": "+57 6017654321 ext 12"}])
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        body = self.writes()[0]["body"]
        a = body["customer_address"][0]
        # The address's own phone was the home one: it follows.
        self.assertEqual((a["phone_area"], a["phone_number"], a["phone_extension"]), ("57", "6017654321", "12"))
        self.assertEqual(self.phones(DETAILS), [("home", "57 6017654321 ext 12"), ("mobile", "1 987654321")])

    def test_the_address_own_phone_cannot_be_removed(self):
        err = self.usage("set-address", DETAILS, "--no-home")
        self.assertIn("cannot be removed", err)

    def test_mobile_on_a_bogota_address_and_no_home(self):
        out = self.change("set-address", BOGOTA, "--mobile", "+57 3109876543", "--no-home")
        self.assertEqual([f["field"] for f in out["fields"]], ["home", "mobile"])
        self.assertEqual(out["outcome"], "applied")
        a = self.writes()[0]["body"]["customer_address"][0]
        self.assertEqual((a["phone_number"], a["city_code"], a["city_name"]), ("3109876543", 139207, "Bogotá"))
        self.assertEqual(self.phones(BOGOTA), [("mobile", "57 3109876543")])

    def test_phone_validation(self):
        for bad in ("57 3001234567", "+57", "+57 30x", "+12345 3001234567", "+57 300 1234567",
                    "+57 3001234567 x", "+57 3001234567 ext 12"):
            err = self.usage("set-address", DETAILS, "--mobile", bad)
            self.assertIn("+AREA NUMBER", err)
        self.assertIn("one at a time", self.usage("set-address", DETAILS, "--home", "+1 1234567", "--no-home"))

    def test_no_address_is_a_usage_error(self):
        err = self.usage("set-address", "noaddress@example.com", "--zip", "1")
        self.assertIn("no address", err)

    # set-address: what is carried over, and how it is verified

    def refused(self, *args):
        """A change refused before anything is sent: exit 4, one line on stderr."""
        self.api.clear()
        r = self.bl(*args, "--yes")
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertEqual(self.writes(), [])
        self.assertIn("nothing was sent", r.stderr)
        return r.stderr

    def test_carried_values_are_sent_as_the_server_has_them(self):
        # Cleaning a value for display (control characters dropped) must not change what
        # is written back: the write would then alter fields the agent never touched.
        out = self.change("set-address", "rawtext@example.com", "--zip", "110221")
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        body = self.writes()[0]["body"]
        a = body["customer_address"][0]
        self.assertEqual((a["address_01"], a["neighborhood"], a["locality_town"], a["zip_code"]),
                         ("Calle 5\r\nApto 2", "Centro\tNorte", "Pueblo\u0085Viejo", "110221"))
        self.assertEqual(sorted((p["phone_type"], p["phone_number"]) for p in body["customer_phone"]),
                         [(1, "123456789"), (2, "987654321\r")])

    def test_text_that_cannot_be_sent_back_is_refused(self):
        err = self.refused("set-address", "latin1@example.com", "--zip", "1")
        self.assertIn("not valid UTF-8", err)
        err = self.refused("set-address", "nultext@example.com", "--zip", "1")
        self.assertIn("NUL", err)
        # What is replaced is not carried: a NUL-free account is unaffected.
        self.assertEqual(self.change("set-address", "latin1@example.com", "--zip", "1", "--neighborhood",
                                     "Centro", "--dry-run")["outcome"], "dry-run")

    def test_phones_that_cannot_be_read_are_refused(self):
        # customer_phone replaces every phone: one left out would be deleted.
        err = self.refused("set-address", "badphone@example.com", "--zip", "1")
        self.assertIn("cannot be read", err)

    def test_state_and_country_are_compared_by_code(self):
        # The profile writes CUNDINAMARCA and COLOMBIA; the places lists Cundinamarca and
        # Colombia: the same codes, so neither is a change, and the change verifies.
        out = self.change("set-address", "upperstate@example.com", "--country", "colombia", "--state",
                          "cundinamarca", "--city", "chia")
        self.assertEqual(out["fields"], [{"field": "city", "before": "Bogotá", "after": "Chía"}])
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        self.assertEqual(self.writes()[0]["body"]["customer_address"][0]["city_code"], 139210)

    def test_a_phone_the_server_refused_inside_a_yes(self):
        out = self.change("set-address", "partphone@example.com", "--zip", "110221", status=4)
        self.assertEqual((out["outcome"], out["verified"]), ("unknown", False))
        self.assertIn("6011234567", out["message"])  # the phone the profile lacks
        self.assertIn("The phone number is not valid for its area", out["message"])  # the server's words

    def test_a_yes_with_a_refused_part_keeps_the_server_words_when_made(self):
        out = self.change("set-address", "innerok@example.com", "--zip", "110221")
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        self.assertIn("Phone could not be indexed (case 91)", out["message"])
        self.assertNotIn("lost", out["message"])

    def test_a_refusal_whose_words_are_on_a_phone(self):
        out = self.change("set-address", "innerno@example.com", "--zip", "110221", status=1)
        self.assertEqual((out["outcome"], out["message"]),
                         ("rejected", "Phone area 1 is not allowed (case 88)"))

    def test_a_phone_listed_twice_after_the_change_is_not_applied(self):
        # The API page: customer_phone replaces every phone "except for the one that is
        # associated with the address"; its example sends that phone too. A server that
        # then keeps it twice has not made the change asked for.
        out = self.change("set-address", "dupphone@example.com", "--zip", "110221", status=4)
        self.assertEqual((out["outcome"], out["verified"]), ("not-applied", False))
        self.assertIn("3001234567 (type 2) 2 times", out["message"])

    def test_an_unchanged_field_that_moved_is_not_applied(self):
        out = self.change("set-address", "dropfield@example.com", "--zip", "110221", status=4)
        self.assertEqual((out["outcome"], out["verified"]), ("not-applied", False))
        self.assertIn("locality: (none)", out["message"])

    # set-address: the city

    def test_city_by_name_ignores_case_and_accents(self):
        out = self.change("set-address", DETAILS, "--country", "colombia", "--state", "CUNDINAMARCA",
                          "--city", "bogota")
        self.assertEqual(out["fields"], [{"field": "city", "before": "Calvillo", "after": "Bogotá"},
                                         {"field": "state", "before": "Aguascalientes", "after": "Cundinamarca"},
                                         {"field": "country", "before": "Mexico", "after": "Colombia"}])
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        a = self.writes()[0]["body"]["customer_address"][0]
        self.assertEqual((a["city_code"], a["city_name"], a["zip_code"]), (139207, "Bogotá", "998877"))
        # One call per list.
        for leaf in ("geographic-get-countries", "geographic-get-states", "geographic-get-cities"):
            self.assertEqual(len(self.calls(leaf)), 1, leaf)
        self.assertEqual(self.calls("geographic-get-states")[0]["body"]["country_code"], 48)
        self.assertEqual(self.calls("geographic-get-cities")[0]["body"]["state_code"], 3001)
        self.assertEqual(self.profile(DETAILS)["addresses"][0]["city"], "Bogotá")

    def test_a_single_prefix_and_an_exact_name_that_is_also_a_prefix(self):
        out = self.change("set-address", DETAILS, "--country", "CO", "--state", "guaviare", "--city", "San José",
                          "--dry-run")
        self.assertEqual(out["fields"][0]["after"], "San José")  # not "San José del Guaviare"
        out = self.change("set-address", DETAILS, "--country", "CO", "--state", "guav", "--city", "san jose d",
                          "--dry-run")
        self.assertEqual(out["fields"][0]["after"], "San José del Guaviare")

    def test_an_ambiguous_city_lists_the_candidates(self):
        err = self.usage("set-address", DETAILS, "--country", "co", "--state", "Cundinamarca", "--city", "San Juan")
        self.assertIn("San Juan de Rioseco", err)
        self.assertIn("San Juanito", err)
        self.assertNotIn("Soacha", err)
        err = self.usage("set-address", DETAILS, "--country", "mx", "--state", "Baja", "--city", "x")
        self.assertIn("Baja California, Baja California Sur", err)
        err = self.usage("set-address", DETAILS, "--country", "co", "--state", "Cundinamarca", "--city", "Bogata")
        self.assertIn("no city", err)
        self.assertIn("Bogotá", err)  # the nearest

    def test_an_ambiguous_city_names_codes_for_city_code(self):
        err = self.usage("set-address", DETAILS, "--country", "co", "--state", "Cundinamarca", "--city", "San Juan")
        self.assertIn("San Juan de Rioseco (139212), San Juanito (139213)", err)
        self.assertIn("--city-code", err)

    def test_place_options_empty_or_not_utf8_are_usage_errors_up_front(self):
        err = self.usage("set-address", DETAILS, "--country", "co", "--state", "Cundinamarca", "--city", " ")
        self.assertIn("must not be empty", err)
        err = self.usage("set-address", DETAILS, "--country", "co", "--state", "Cundinamarca", "--city",
                         "Bogot\udce1")
        self.assertIn("valid UTF-8", err)
        self.assertEqual(self.api.posts(), [])  # not even a places list
        err = self.usage("set-address", DETAILS, "--line1", "Calle \udce1")
        self.assertIn("--line1 is not valid UTF-8", err)

    def test_birth_dates_before_1900_or_after_today_are_refused(self):
        for date in ("1899-05-05", "2999-01-01"):
            err = self.usage("set-details", DETAILS, "--birth-date", date)
            self.assertIn("1900-01-01 to today", err)

    def test_city_code(self):
        out = self.change("set-address", DETAILS, "--city-code", "140002", "--line1", "Calle 5")
        self.assertEqual([f["field"] for f in out["fields"]], ["line1", "city"])
        self.assertEqual(out["fields"][1], {"field": "city", "before": "Calvillo", "after": "140002"})
        self.assertEqual((out["outcome"], out["verified"]), ("applied", True))
        a = self.writes()[0]["body"]["customer_address"][0]
        self.assertEqual((a["city_code"], a["city_name"], a["address_01"]), (140002, "", "Calle 5"))
        self.assertFalse([q for q in self.api.posts() if "geographic" in q["path"]])
        self.assertIn("--city-code", self.usage("set-address", DETAILS, "--city-code", "0"))
        self.assertIn("together", self.usage("set-address", DETAILS, "--city", "Bogotá"))

    def test_address_history_and_json_object(self):
        out = self.change("set-address", DETAILS, "--line1", "Av. 1", "--neighborhood", "Centro",
                          "--locality", "Pueblo", "--mobile", "+52 5512345678")
        self.assertEqual(list(out), ["environment", "email", "box_id", "change", "fields", "outcome",
                                     "verified", "message", "key_stored"])
        self.assertEqual(out["box_id"], 811317)
        line = [h for h in self.history() if h["action"] == "set-address"]
        self.assertEqual(len(line), 1)
        self.assertEqual(line[0]["fields"], ["line1", "neighborhood", "locality", "mobile"])
        self.assertNotIn("5512345678", json.dumps(self.history()))

    def test_changes_false_refuses_but_places_runs(self):
        cfg = os.path.join(self.home, "config")
        with open(cfg, "w") as f:
            f.write("changes = false\n")
        for args in (["set-details", DETAILS, "--gender", "F"], ["set-address", DETAILS, "--zip", "1"],
                     ["set-address", DETAILS, "--zip", "1", "--dry-run"]):
            r = self.bl(*args, "--yes", "--config", cfg)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("changes = false", r.stderr)
        self.assertEqual(self.api.posts(), [])
        r = self.bl("places", "--config", cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Colombia", r.stdout)

    # places

    def test_places_three_levels_as_json(self):
        r = self.bl("places", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(list(out), ["environment", "country", "state", "places"])
        self.assertEqual((out["country"], out["state"]), (None, None))
        co = [p for p in out["places"] if p["name"] == "Colombia"][0]
        self.assertEqual(co, {"code": 48, "name": "Colombia", "iso_code": "CO", "phone_code": "57"})
        r = self.bl("places", "co", "--json")
        out = json.loads(r.stdout)
        self.assertEqual((out["country"], out["state"]), ("Colombia", None))
        self.assertEqual([p["name"] for p in out["places"]],
                         ["Antioquia", "Cundinamarca", "Distrito Capital de Bogotá", "Guaviare"])
        self.assertEqual(out["places"][0], {"code": 3004, "name": "Antioquia", "iso_code": None,
                                            "phone_code": None})
        r = self.bl("places", "Colombia", "antioquia", "--json")
        out = json.loads(r.stdout)
        self.assertEqual((out["country"], out["state"]), ("Colombia", "Antioquia"))
        # The element without a valid code is skipped.
        self.assertEqual(out["places"], [{"code": 150002, "name": "Envigado", "iso_code": None, "phone_code": None},
                                         {"code": 150001, "name": "Medellín", "iso_code": None, "phone_code": None}])
        # App credentials only: no box ID, no key.
        body = self.calls("geographic-get-cities")[0]["body"]
        self.assertNotIn("customer_key", body)
        self.assertEqual(body["state_code"], 3004)

    def test_places_table_and_one_call_per_list(self):
        self.api.clear()
        r = self.bl("places", "CO", "Cundinamarca")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertIn("Code", lines[0])
        self.assertIn("City", lines[0])
        self.assertTrue(any("139207" in x and "Bogotá" in x for x in lines), r.stdout)
        self.assertEqual(len(lines), 7)
        for leaf in ("geographic-get-countries", "geographic-get-states", "geographic-get-cities"):
            self.assertEqual(len(self.calls(leaf)), 1, leaf)
        r = self.bl("places")
        self.assertTrue(any("Perú" in x and "+51" in x and "PE" in x for x in r.stdout.splitlines()), r.stdout)
        r = self.bl("places", "Narnia")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no country", r.stderr)

    def test_places_says_how_many_rows_could_not_be_read(self):
        for args in (["Colombia", "antioquia"], ["Colombia", "antioquia", "--json"]):
            r = self.bl("places", *args)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("1 row of the list could not be read", r.stderr)
        r = self.bl("places", "Colombia", "cundinamarca")
        self.assertNotIn("could not be read", r.stderr)

    def test_places_names_in_other_scripts_do_not_collide(self):
        r = self.bl("places", "China", "\u5317\u4eac\u5e02", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual((out["state"], [p["code"] for p in out["places"]]), ("\u5317\u4eac\u5e02", [170001]))
        r = self.bl("places", "cn", "\u4e0a\u6d77", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([p["code"] for p in json.loads(r.stdout)["places"]], [170101])


if __name__ == "__main__":
    unittest.main()
