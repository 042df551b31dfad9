namespace Fieldline.BrowserTests;

// Browser tests arrive with the pages (issues 4 and 5); this project is wired into test.sh already.
public class BrowserSmokeTests
{
    [Fact]
    public void Debian_chromium_is_installed_where_the_browser_tests_expect_it() => Assert.True(File.Exists("/usr/bin/chromium"));
}
