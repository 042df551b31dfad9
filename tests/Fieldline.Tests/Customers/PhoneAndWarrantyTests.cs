using Fieldline.Web.Features.Customers;

namespace Fieldline.Tests.Customers;

public class PhoneAndWarrantyTests
{
    [Theory]
    [InlineData("13812345678", "13812345678")]
    [InlineData("138 1234 5678", "13812345678")]
    [InlineData("+86 138-1234-5678", "13812345678")]
    [InlineData("8613812345678", "13812345678")]
    [InlineData("0431-5877386", "0431-5877386")]
    [InlineData("(0731)88886666", "0731-88886666")]
    [InlineData("１３８１２３４５６７８", "13812345678")]
    [InlineData("＋８６ １３８-１２３４-５６７８", "13812345678")]
    [InlineData("١٣٨١٢٣٤٥٦٧٨", "13812345678")]
    [InlineData("۱۳۸۱۲۳۴۵۶۷۸", "13812345678")]
    [InlineData("（０７３１）８８８８６６６６", "0731-88886666")]
    public void Phone_numbers_are_normalised(string raw, string expected) => Assert.Equal(expected, PhoneNumber.Normalize(raw));

    // F2: a landline is one number however it is written — the area code told from its digits (010 and 02x three long,
    // the rest four), not from where the caller put a separator.
    [Theory]
    [InlineData("07318888777", "0731-8888777")]
    [InlineData("0731-8888777", "0731-8888777")]
    [InlineData("0731 888 8777", "0731-8888777")]
    [InlineData("073-18888777", "0731-8888777")]
    [InlineData("(0731) 8888777", "0731-8888777")]
    [InlineData("+86 731 8888777", "0731-8888777")]
    [InlineData("+86-731-88887777", "0731-88887777")]
    [InlineData("0086 731 8888777", "0731-8888777")]
    [InlineData("+86 (0731) 8888777", "0731-8888777")]
    [InlineData("04315877386", "0431-5877386")]
    [InlineData("0431 5877386", "0431-5877386")]
    [InlineData("01012345678", "010-12345678")]
    [InlineData("(010)1234-5678", "010-12345678")]
    [InlineData("021 6123 4567", "021-61234567")]
    [InlineData("0755-8888-6666", "0755-88886666")]
    [InlineData("0431-5877386-123", "0431-5877386-123")]
    [InlineData("0431 5877386 转 123", "0431-5877386-123")]
    [InlineData("04315877386 ext. 12", "0431-5877386-12")]
    [InlineData("０７３１－８８８８７７７", "0731-8888777")]
    public void A_landline_written_any_way_is_one_number_with_its_area_code_number_and_extension(string raw, string expected) =>
        Assert.Equal(expected, PhoneNumber.Normalize(raw));

    [Theory]
    [InlineData("12345")]
    [InlineData("12812345678")]
    [InlineData("1381234567x")]
    [InlineData("")]
    [InlineData("5877386")]
    [InlineData("0731-88877")]
    [InlineData("0731-888877776")]
    [InlineData("07318888777123")]
    [InlineData("+1 415 555 0100")]
    [InlineData("00 731 8888777")]
    [InlineData("13812345678 转 12")]
    public void Things_that_are_not_phone_numbers_are_refused(string raw) => Assert.Null(PhoneNumber.Normalize(raw));

    [Fact]
    public void Warranty_runs_from_installation_for_the_given_months_inclusive()
    {
        var p = new RegisteredProduct { ProductLine = "purifier", Model = "JS-200", SerialNumber = "S1", PurchaseDate = new(2025, 11, 20), InstalledOn = new(2025, 11, 27), WarrantyMonths = 12 };
        Assert.Equal(new DateOnly(2026, 11, 26), p.WarrantyEndsOn);
        Assert.True(p.IsInWarrantyOn(new(2026, 11, 26)));
        Assert.False(p.IsInWarrantyOn(new(2026, 11, 27)));
    }

    [Fact]
    public void A_product_without_warranty_months_is_never_in_warranty()
    {
        var p = new RegisteredProduct { ProductLine = "ac", Model = "M", SerialNumber = "S2", PurchaseDate = new(2026, 11, 1), WarrantyMonths = 0 };
        Assert.False(p.IsInWarrantyOn(new(2026, 11, 2)));
    }
}
