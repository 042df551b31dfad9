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

    [Theory]
    [InlineData("12345")]
    [InlineData("12812345678")]
    [InlineData("1381234567x")]
    [InlineData("")]
    [InlineData("5877386")]
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
