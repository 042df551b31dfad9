using Fieldline.Web.Features.Dispatch;

namespace Fieldline.Tests.Dispatch;

/// <summary>What a technician sees of an order in the pool before taking it: the district, and the fault without a phone number.</summary>
public class OrderPoolPrivacyTests
{
    [Theory]
    [InlineData("长沙市岳麓区麓山南路1号", "长沙市岳麓区")]
    [InlineData("湖南省长沙市开福区湘江中路 66 号 2 栋 801", "湖南省长沙市开福区")]
    [InlineData("宁乡县玉潭镇新康路8号", "宁乡县")]
    [InlineData("长沙市芙蓉小区3栋", "长沙市")]
    [InlineData("12 Main Street, Springfield", "Springfield")]
    [InlineData("12 Main Street", null)]
    [InlineData("", null)]
    public void The_pool_shows_the_district_of_an_address_never_its_street_or_number(string address, string? area) =>
        Assert.Equal(area, ShowPool.Area(address));

    [Fact]
    public void A_phone_number_in_the_fault_description_is_hidden()
    {
        Assert.Equal("不制冷，请回电 *** 王先生", ShowPool.Masked("不制冷，请回电 13912345678 王先生"));
        Assert.Equal("外机不转,E1", ShowPool.Masked("外机不转,E1"));
        Assert.Equal("来电 ***", ShowPool.Masked("来电 0731-8888 6666"));
    }
}
