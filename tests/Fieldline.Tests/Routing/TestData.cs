using System.Runtime.CompilerServices;
using Fieldline.Routing.Vrptw;

namespace Fieldline.Tests.Routing;

// Solomon files copied next to these tests, found from the source location (or copied beside the test assembly),
// so the tests never depend on ../shared.
internal static class TestData
{
    public static string PathOf(string file, [CallerFilePath] string source = "")
    {
        var besideSource = Path.Combine(Path.GetDirectoryName(source) ?? "", "Data", file);
        if (File.Exists(besideSource)) return besideSource;
        return Path.Combine(AppContext.BaseDirectory, "Routing", "Data", file);
    }

    public static VrptwInstance Load(string name) => SolomonReader.Read(PathOf(name + ".txt"));

    // Depot at the origin; three customers; two vehicles of capacity 10.
    public const string Tiny = """
        TINY

        VEHICLE
        NUMBER     CAPACITY
          2          10

        CUSTOMER
        CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

            0       0          0          0          0        100          0
            1       3          4          5          0         15          2
            2       6          8          5         10         30          2
            3       0         10          6          0         50          1
        """;
}
