/* WCF JSON dates to ISO 8601. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "wcfdate.h"

static void
check(const char *in, const char *want)
{
    char out[WCFDATE_ISO_SIZE];

    assert_int_equal(wcfdate_to_iso(in, out), 0);
    assert_string_equal(out, want);
}

static void
bad(const char *in)
{
    char out[WCFDATE_ISO_SIZE] = "x";

    assert_int_equal(wcfdate_to_iso(in, out), -1);
    assert_string_equal(out, "");
}

static void
documented_example_in_its_offset(void **state)
{
    (void)state;
    check("/Date(1550761010000-0500)/", "2019-02-21T09:56:50-05:00");
    check("/Date(1550761008000-0500)/", "2019-02-21T09:56:48-05:00");
}

static void
no_offset_is_utc(void **state)
{
    (void)state;
    check("/Date(1550761010000)/", "2019-02-21T14:56:50Z");
    check("/Date(0)/", "1970-01-01T00:00:00Z");
}

static void
positive_and_odd_offsets(void **state)
{
    (void)state;
    check("/Date(0+0530)/", "1970-01-01T05:30:00+05:30");
    check("/Date(1550761010000+0000)/", "2019-02-21T14:56:50+00:00");
    check("/Date(1550761010000-0930)/", "2019-02-21T05:26:50-09:30");
}

static void
negative_epochs_floor(void **state)
{
    (void)state;
    check("/Date(-1)/", "1969-12-31T23:59:59Z");
    check("/Date(-1000)/", "1969-12-31T23:59:59Z");
    check("/Date(-1001)/", "1969-12-31T23:59:58Z");
    check("/Date(-86400001)/", "1969-12-30T23:59:59Z");
    check("/Date(-62135596800000)/", "0001-01-01T00:00:00Z");
    check("/Date(951782400000)/", "2000-02-29T00:00:00Z");
}

static void
milliseconds_are_dropped(void **state)
{
    (void)state;
    check("/Date(1999)/", "1970-01-01T00:00:01Z");
}

static void
escaped_slashes_as_on_the_wire(void **state)
{
    (void)state;
    check("\\/Date(1550761010000-0500)\\/", "2019-02-21T09:56:50-05:00");
}

static void
garbage_is_refused(void **state)
{
    (void)state;
    bad("");
    bad("garbage");
    bad("/Date()/");
    bad("/Date(abc)/");
    bad("/Date(12)");
    bad("Date(12)/");
    bad("/Date(12)/x");
    bad("/Date(12-05)/");
    bad("/Date(12-2500)/");
    bad("/Date(12+0060)/");
    bad("/Date(12.5)/");
    bad("/Date( 12)/");
    bad("/Date(99999999999999999999999)/");
    bad("/Date(8640000000000001)/");
    bad("/Date(253402300800000)/"); /* year 10000 */
    bad("/Date(-62167219200001)/"); /* before year 0 */
    bad("2019-02-21T09:56:50Z");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documented_example_in_its_offset),
        cmocka_unit_test(no_offset_is_utc),
        cmocka_unit_test(positive_and_odd_offsets),
        cmocka_unit_test(negative_epochs_floor),
        cmocka_unit_test(milliseconds_are_dropped),
        cmocka_unit_test(escaped_slashes_as_on_the_wire),
        cmocka_unit_test(garbage_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
