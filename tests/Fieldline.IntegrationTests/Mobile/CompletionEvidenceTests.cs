using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Mobile;

[Collection(SqliteCollection.Name)] public sealed class CompletionEvidenceTestsOnSqlite(SqliteFixture app) : CompletionEvidenceTests(app);
[Collection(PostgresCollection.Name)] public sealed class CompletionEvidenceTestsOnPostgres(PostgresFixture app) : CompletionEvidenceTests(app);

/// <summary>CMP-09 evidence and the FEE-01 price cap, enforced on the server whatever the phone checked.</summary>
public abstract class CompletionEvidenceTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static object Body(object? charges = null, string? barcode = "GR123456", int? testRun = 30, bool sticker = true, bool signed = true,
        string? invoice = "43001234") => new
    {
        invoiceNumber = invoice,
        resolution = "更换电容,试机正常", barcode, testRunMinutes = testRun,
        checklist = new Dictionary<string, bool> { ["powerOff"] = true, ["serviceSticker"] = sticker },
        charges = charges ?? Array.Empty<object>(),
        signature = signed ? "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) : null,
    };

    [Fact]
    public async Task A_completion_without_the_evidence_the_policy_requires_is_refused_naming_each_missing_item()
    {
        var id = await _given.OrderIn("inProgress");
        var reply = (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", Body(barcode: null, testRun: 10, sticker: false, signed: false)))
            .Expect(HttpStatusCode.BadRequest);

        Assert.Equal(["barcode", "checklist.serviceSticker", "photos", "signature", "testRunMinutes"], reply.ErrorFields.Order().ToArray());
        Assert.Contains("30", reply.Body["errors"]!["testRunMinutes"]![0]!.GetValue<string>());
        var order = (await _given.Manager.Get($"/api/work-orders/{id}")).Body;
        Assert.Equal("inProgress", order["status"]!.GetValue<string>());
        Assert.Empty(order["attachments"]!.AsArray());
    }

    [Fact]
    public async Task A_completion_with_an_uploaded_photo_and_all_other_evidence_is_accepted()
    {
        var id = await _given.OrderIn("inProgress");
        await _given.Photo(id);
        var done = (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", Body())).Expect(HttpStatusCode.OK).Body;

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(["photo", "signature"], done["attachments"]!.AsArray().Select(a => a!["kind"]!.GetValue<string>()).Order().ToArray());
    }

    [Fact]
    public async Task A_price_list_charge_above_twice_the_standard_price_is_refused_with_the_cap_in_the_message()
    {
        var id = await _given.OrderIn("inProgress", inWarranty: false);
        await _given.Photo(id);
        var tech = app.Api("tech01");
        // L-AC-REFILL costs 150.00: two of them may cost at most 600.00 under the 2× cap.
        var over = (await tech.Post($"/api/work-orders/{id}/complete", Body(new object[]
        {
            new { description = "上门检测", priceCode = "L-AC-VISIT", quantity = 1, amount = 50.00m },
            new { description = "加氟", priceCode = "L-AC-REFILL", quantity = 2, amount = 600.01m },
        }))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["charges[1].amount"], over.ErrorFields);
        Assert.Contains("600.00", over.Body["errors"]!["charges[1].amount"]![0]!.GetValue<string>());
        Assert.Equal("inProgress", (await _given.Manager.Get($"/api/work-orders/{id}")).Str("status"));

        var atCap = (await tech.Post($"/api/work-orders/{id}/complete", Body(new object[]
        {
            new { description = "加氟", priceCode = "L-AC-REFILL", quantity = 2, amount = 600.00m },
        }))).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(600.00m, atCap["charges"]![0]!["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Money_collected_without_the_number_of_its_invoice_is_refused_and_free_work_needs_none()
    {
        // FEE-07 (fees.invoiceRequiredForPaidService, true in the generic preset): the technician issues an invoice for paid service.
        var id = await _given.OrderIn("inProgress", inWarranty: false); // a paid repair: out of warranty
        await _given.Photo(id);
        var tech = app.Api("tech01");
        var paid = new object[] { new { description = "加氟", priceCode = "L-AC-REFILL", quantity = 1, amount = 150.00m } };
        var refused = (await tech.Post($"/api/work-orders/{id}/complete", Body(paid, invoice: " "))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["invoiceNumber"], refused.ErrorFields);
        Assert.Contains("FEE-07", refused.Body["errors"]!["invoiceNumber"]![0]!.GetValue<string>());
        Assert.Equal("inProgress", (await _given.Manager.Get($"/api/work-orders/{id}")).Str("status"));
        var done = (await tech.Post($"/api/work-orders/{id}/complete", Body(paid, invoice: "43005678"))).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("43005678", done["invoiceNumber"]!.GetValue<string>());

        var free = await _given.OrderIn("inProgress");
        await _given.Photo(free);
        var noInvoice = (await tech.Post($"/api/work-orders/{free}/complete", Body(invoice: null))).Expect(HttpStatusCode.OK).Body;
        Assert.Null(noInvoice["invoiceNumber"]);
    }

    [Fact]
    public async Task A_charge_with_a_price_code_that_is_not_on_the_price_list_is_refused()
    {
        var id = await _given.OrderIn("inProgress");
        var reply = (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", Body(new object[]
        {
            new { description = "神秘费用", priceCode = "X-NOT-LISTED", quantity = 1, amount = 10.00m },
        }))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["charges[0].priceCode"], reply.ErrorFields);
    }
}
