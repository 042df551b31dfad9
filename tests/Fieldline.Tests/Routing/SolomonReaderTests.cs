using Fieldline.Routing.Vrptw;

namespace Fieldline.Tests.Routing;

public class SolomonReaderTests
{
    [Fact]
    public void Reader_reads_the_vehicle_block_and_every_customer_row()
    {
        var c101 = TestData.Load("C101");
        Assert.Equal("C101", c101.Name);
        Assert.Equal(25, c101.VehicleLimit);
        Assert.Equal(200, c101.Capacity);
        Assert.Equal(101, c101.Nodes.Count);
        Assert.Equal(new VrptwNode(1, 45, 68, 10, 912, 967, 90), c101.Nodes[1]);
        Assert.Equal(1236, c101.Nodes[0].Due);
    }

    [Fact]
    public void Reader_computes_full_precision_euclidean_distances()
    {
        var tiny = SolomonReader.Parse(TestData.Tiny);
        Assert.Equal(5.0, tiny.Distance(0, 1), 12);
        Assert.Equal(Math.Sqrt(3 * 3 + 6 * 6), tiny.Distance(3, 1), 12);
    }

    [Fact]
    public void Reader_rejects_a_file_without_a_vehicle_block()
    {
        var broken = TestData.Tiny.Replace("VEHICLE", "", StringComparison.Ordinal).Replace("  2          10", "", StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => SolomonReader.Parse(broken));
    }
}
