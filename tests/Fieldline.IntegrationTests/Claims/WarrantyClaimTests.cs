using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Parts;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Claims;

[Collection(SqliteCollection.Name)] public sealed class WarrantyClaimTestsOnSqlite(SqliteFixture app) : WarrantyClaimTests(app);
[Collection(PostgresCollection.Name)] public sealed class WarrantyClaimTestsOnPostgres(PostgresFixture app) : WarrantyClaimTests(app);

/// <summary>Claims to the brand (索赔, WAR-05, WAR-09, PRT-19) and their approval rate (KPI-04).</summary>
public abstract class WarrantyClaimTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Supervisor => app.Api("supervisor");

    private Task<long> Photo(long order) =>
        app.Db(db => db.Attachments.Where(a => a.WorkOrderId == order && a.Kind == "photo").Select(a => a.Id).FirstAsync());

    private async Task<Reply> Claim(long order, long? photo = null, decimal labour = 80.00m) =>
        await Supervisor.Post("/api/warranty-claims", new
        {
            workOrderId = order, brand = "格力", labourAmount = labour, description = "压缩机启动电容失效，属质量问题",
            evidenceAttachmentIds = photo is { } p ? new[] { p } : Array.Empty<long>(),
        });

    [Fact]
    public async Task WAR05_KPI04_in_warranty_work_and_parts_are_claimed_with_evidence_the_brands_answer_is_recorded_and_the_approval_rate_is_approved_over_submitted()
    {
        var before = (await Supervisor.Get("/api/warranty-claims")).Expect(HttpStatusCode.OK).Body;
        var orders = new List<long>();
        for (var i = 0; i < 3; i++) orders.Add(await _given.OrderIn("completed"));
        var claims = new List<long>();
        foreach (var o in orders)
        {
            var claim = (await Claim(o, await Photo(o))).Expect(HttpStatusCode.Created).Body;
            Assert.Equal("submitted", claim["status"]!.GetValue<string>());
            Assert.Equal(80.00m, claim["labourAmount"]!.GetValue<decimal>());
            Assert.Equal(80.00m + claim["partsAmount"]!.GetValue<decimal>(), claim["total"]!.GetValue<decimal>());
            Assert.Contains("CAP-35", claim["partsSummary"]!.GetValue<string>());
            claims.Add(claim["id"]!.GetValue<long>());
        }
        (await Claim(orders[0], await Photo(orders[0]))).Expect(HttpStatusCode.Conflict); // one claim at a time per order

        Assert.Equal("approved", (await Supervisor.Post($"/api/warranty-claims/{claims[0]}/decision", new { approved = true })).Expect(HttpStatusCode.OK).Str("status"));
        Assert.Contains("reason", (await Supervisor.Post($"/api/warranty-claims/{claims[1]}/decision", new { approved = false })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var rejected = (await Supervisor.Post($"/api/warranty-claims/{claims[1]}/decision", new { approved = false, reason = "非质量问题，人为损坏" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("rejected", "非质量问题，人为损坏"), (rejected["status"]!.GetValue<string>(), rejected["rejectionReason"]!.GetValue<string>()));
        (await Supervisor.Post($"/api/warranty-claims/{claims[0]}/decision", new { approved = false, reason = "改判" })).Expect(HttpStatusCode.Conflict);

        var after = (await Supervisor.Get("/api/warranty-claims")).Expect(HttpStatusCode.OK).Body;
        int N(System.Text.Json.Nodes.JsonNode b, string k) => b[k]!.GetValue<int>();
        Assert.Equal(N(before, "submitted") + 3, N(after, "submitted"));
        Assert.Equal(N(before, "approved") + 1, N(after, "approved"));
        Assert.Equal(N(before, "rejected") + 1, N(after, "rejected"));
        Assert.Equal(decimal.Round(N(after, "approved") * 100m / N(after, "submitted"), 1), after["approvalRate"]!.GetValue<decimal>());
        var pending = (await app.Api("finance").Get("/api/warranty-claims?status=submitted")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(pending, c => c!["id"]!.GetValue<long>() == claims[2]);
        Assert.DoesNotContain(pending, c => c!["id"]!.GetValue<long>() == claims[0]);
        // A rejected order may be claimed again.
        (await Claim(orders[1], await Photo(orders[1]))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_claim_needs_evidence_a_completed_in_warranty_order_and_a_claims_role_and_another_branch_cannot_decide_it()
    {
        var order = await _given.OrderIn("completed");
        var before = await app.Db(db => db.Set<Fieldline.Web.Features.Claims.WarrantyClaim>().CountAsync());
        Assert.Contains("evidenceAttachmentIds", (await Claim(order)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("evidenceAttachmentIds", (await Claim(order, 987654321)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("labourAmount", (await Claim(order, await Photo(order), -1m)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await app.Api("tech01").Post("/api/warranty-claims", new { workOrderId = order, description = "x", evidenceAttachmentIds = new[] { await Photo(order) } }))
            .Expect(HttpStatusCode.Forbidden);
        var onSite = await _given.OrderIn("inProgress");
        (await Claim(onSite, 1)).Expect(HttpStatusCode.Conflict);
        var outOfWarranty = await PartsCostReportTests.OnSite(app, _given, inWarranty: false);
        await PartsCostReportTests.Complete(app, outOfWarranty);
        (await Claim(outOfWarranty, await Photo(outOfWarranty))).Expect(HttpStatusCode.Conflict);
        Assert.Equal(before, await app.Db(db => db.Set<Fieldline.Web.Features.Claims.WarrantyClaim>().CountAsync()));

        var claim = (await Claim(order, await Photo(order))).Expect(HttpStatusCode.Created).Id;
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"索赔-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var stranger = $"w{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = stranger, displayName = "外分公司主管", password = AppFixture.Password, roles = new[] { "supervisor" }, branchId = branch })).Expect(HttpStatusCode.Created);
        (await app.Api(stranger).Post($"/api/warranty-claims/{claim}/decision", new { approved = true })).Expect(HttpStatusCode.NotFound);
        (await app.Api(stranger).Post("/api/warranty-claims", new { workOrderId = order, description = "x", evidenceAttachmentIds = new[] { await Photo(order) } }))
            .Expect(HttpStatusCode.NotFound);
    }
}
