using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Quality;

[Collection(SqliteCollection.Name)] public sealed class OnSiteCheckTestsOnSqlite(SqliteFixture app) : OnSiteCheckTests(app);
[Collection(PostgresCollection.Name)] public sealed class OnSiteCheckTestsOnPostgres(PostgresFixture app) : OnSiteCheckTests(app);

/// <summary>
/// On-site checks a supervisor can trust (INS-01, PEN-52, SC-20, ONS-22): what may be innocent is flagged for review and the
/// order goes on; what the policy blocks or what cannot be true is refused, naming the field; confirming a wrong model
/// installed proposes the policy's fine.
/// </summary>
public abstract class OnSiteCheckTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Supervisor => app.Api("supervisor");

    private async Task Policy(string preset, object? parameters = null) =>
        (await _given.Manager.Put("/api/policy", parameters is null ? new { basedOn = preset } : new { basedOn = preset, parameters })).Expect(HttpStatusCode.OK);

    /// <summary>An order of a new technician walked to scheduled; the customer lives at 28.18, 112.94.</summary>
    private async Task<(long Id, Api Tech, (string User, int TechnicianId, int UserId) Who)> Scheduled(string type = "repair", string model = "KFR-35GW")
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        object body = type == "repair" ? Given.RepairBody(customer, serial)
            : new { type, channel = "hotline", customerId = customer, productLine = "ac", productModel = model, purchaseDate = "2026-11-20" };
        var id = (await _given.Clerk.Post("/api/work-orders", body)).Expect(HttpStatusCode.Created).Id;
        var who = await _given.NewTechnician();
        var t = app.Api(who.User);
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var at = app.LocalNow.AddHours(1);
        (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        return (id, t, who);
    }

    private static object Completion(string? unitModel = null, string barcode = "GR123456", int testRun = 30, string? source = null) => new
    {
        resolution = "完成,试机正常", faultCategory = "component", barcode, testRunMinutes = testRun, unitModel, unitModelSource = source,
        checklist = new { powerOff = true, testRun = true, serviceSticker = true },
        signature = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng),
        photos = new[] { "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) },
    };

    private async Task<JsonArray> Flags(long orderId, Api? as_ = null) =>
        (await (as_ ?? Supervisor).Get($"/api/quality-flags?workOrderId={orderId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    private async Task<Reply> CheckIn(long id, Api tech, double lat = 28.18, double lng = 112.94) =>
        await tech.Post($"/api/work-orders/{id}/check-in", new { location = new { lat, lng } });

    [Fact]
    public async Task A_check_in_farther_than_the_policys_500_m_from_the_customer_is_flagged_not_refused_and_only_reviewers_of_the_branch_see_it()
    {
        var (id, tech, who) = await Scheduled();
        var order = (await CheckIn(id, tech, lat: 28.20)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("inProgress", order["status"]!.GetValue<string>());
        var flag = Assert.Single(await Flags(id))!;
        Assert.Equal(("checkInFarFromCustomer", "open", "checkIn", who.UserId), (flag["kind"]!.GetValue<string>(), flag["status"]!.GetValue<string>(),
            flag["raisedOn"]!.GetValue<string>(), flag["technicianUserId"]!.GetValue<int>()));
        Assert.Equal(500, flag["evidence"]!["radiusMeters"]!.GetValue<int>());
        Assert.InRange(flag["evidence"]!["distanceMeters"]!.GetValue<int>(), 2200, 2250); // 0.02° of latitude
        Assert.Contains((await Supervisor.Get("/api/quality-flags?status=open&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
            f => f!["id"]!.GetValue<long>() == flag["id"]!.GetValue<long>());

        // Who may see them: the technician and the clerk may not; a supervisor of another branch finds nothing.
        (await tech.Get($"/api/quality-flags?workOrderId={id}")).Expect(HttpStatusCode.Forbidden);
        (await _given.Clerk.Get($"/api/quality-flags?workOrderId={id}")).Expect(HttpStatusCode.Forbidden);
        var outsider = await OtherBranchSupervisor();
        Assert.Empty(await Flags(id, outsider));
        (await outsider.Post($"/api/quality-flags/{flag["id"]}/dismiss", new { note = "看不到" })).Expect(HttpStatusCode.NotFound);

        // A check-in at the customer's door raises nothing.
        var (near, nearTech, _) = await Scheduled();
        (await CheckIn(near, nearTech, lat: 28.1801)).Expect(HttpStatusCode.OK);
        Assert.Empty(await Flags(near));
    }

    [Fact]
    public async Task A_test_run_longer_than_the_time_since_the_check_in_is_refused_naming_testRunMinutes_and_nothing_changes()
    {
        var (id, tech, _) = await Scheduled();
        (await CheckIn(id, tech)).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        var refused = (await tech.Post($"/api/work-orders/{id}/complete", Completion(testRun: 30))).Expect(HttpStatusCode.BadRequest);
        Assert.NotNull(refused.Body["errors"]!["testRunMinutes"]);
        Assert.Equal("inProgress", (await tech.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("completed", (await tech.Post($"/api/work-orders/{id}/complete", Completion(testRun: 30))).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_repair_whose_unit_model_and_barcode_differ_from_the_registered_unit_completes_and_is_flagged_twice_for_review()
    {
        var (id, tech, _) = await Scheduled();
        (await CheckIn(id, tech)).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(40));
        (await tech.Post($"/api/work-orders/{id}/complete", Completion(unitModel: "KFR-26GW", barcode: "GR999"))).Expect(HttpStatusCode.OK);
        var flags = (await Flags(id)).Select(f => f!).OrderBy(f => f["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(["modelMismatch", "serialMismatch"], flags.Select(f => f["kind"]!.GetValue<string>()));
        Assert.Equal(("KFR-35GW", "KFR-26GW"), (flags[0]["evidence"]!["orderModel"]!.GetValue<string>(), flags[0]["evidence"]!["unitModel"]!.GetValue<string>()));
        Assert.Equal("GR999", flags[1]["evidence"]!["barcode"]!.GetValue<string>());

        // A repair's model flag is the supervisor's to judge: confirming it fines nobody (PEN-52 is an installation's).
        var confirmed = (await Supervisor.Post($"/api/quality-flags/{flags[0]["id"]}/confirm", new { note = "机器型号登记错误" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("confirmed", confirmed["status"]!.GetValue<string>());
        Assert.Null(confirmed["penaltyCaseId"]);
        var noNote = (await Supervisor.Post($"/api/quality-flags/{flags[1]["id"]}/dismiss", new { note = " " })).Expect(HttpStatusCode.BadRequest);
        Assert.NotNull(noNote.Body["errors"]!["note"]);
        var dismissed = (await Supervisor.Post($"/api/quality-flags/{flags[1]["id"]}/dismiss", new { note = "条码贴在外机上" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("dismissed", "supervisor", "条码贴在外机上"), (dismissed["status"]!.GetValue<string>(), dismissed["decidedBy"]!.GetValue<string>(),
            dismissed["decisionNote"]!.GetValue<string>()));
        // Decided once.
        (await Supervisor.Post($"/api/quality-flags/{flags[1]["id"]}/confirm", new { })).Expect(HttpStatusCode.Conflict);
        (await tech.Post($"/api/quality-flags/{flags[0]["id"]}/dismiss", new { note = "x" })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SC20_under_Gree_a_unit_whose_model_differs_from_the_invoice_blocks_the_installation_and_the_carton_label_is_no_proof()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (id, tech, _) = await Scheduled("install", "KFR-35GW");
            (await CheckIn(id, tech)).Expect(HttpStatusCode.OK);
            app.Clock.Advance(TimeSpan.FromMinutes(40));
            var wrong = (await tech.Post($"/api/work-orders/{id}/complete", Completion(unitModel: "KFR-26GW"))).Expect(HttpStatusCode.BadRequest);
            var message = wrong.Body["errors"]!["unitModel"]![0]!.GetValue<string>();
            Assert.Contains("发票", message);
            Assert.Contains("KFR-26GW", message);
            var carton = (await tech.Post($"/api/work-orders/{id}/complete", Completion(unitModel: "KFR-35GW", source: "cartonLabel"))).Expect(HttpStatusCode.BadRequest);
            Assert.NotNull(carton.Body["errors"]!["unitModelSource"]);
            Assert.Empty(await Flags(id));
            Assert.Equal("completed", (await tech.Post($"/api/work-orders/{id}/complete", Completion(unitModel: "kfr 35gw"))).Expect(HttpStatusCode.OK)
                .Body["status"]!.GetValue<string>());
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC20_under_Binchun_the_carton_label_is_the_reference_and_a_model_differing_from_the_purchase_order_blocks_the_installation()
    {
        await Policy("binchun-water-purifier-2015");
        try
        {
            var (id, tech, _) = await Scheduled("install", "KFR-35GW");
            (await CheckIn(id, tech)).Expect(HttpStatusCode.OK);
            app.Clock.Advance(TimeSpan.FromMinutes(40));
            var wrong = (await tech.Post($"/api/work-orders/{id}/complete", Completion(unitModel: "KFR-26GW", source: "cartonLabel"))).Expect(HttpStatusCode.BadRequest);
            Assert.Contains("购机订单", wrong.Body["errors"]!["unitModel"]![0]!.GetValue<string>());
            (await tech.Post($"/api/work-orders/{id}/complete", Completion(unitModel: "KFR-35GW", source: "cartonLabel"))).Expect(HttpStatusCode.OK);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC20_confirming_a_wrong_model_installed_proposes_PEN52_to_the_installer_at_the_500_minimum_when_the_cost_was_400()
    {
        // A company without INS-01's block still has PEN-52: the installation completes, flagged.
        await Policy("generic", new { installation = new { modelVerification = (object?)null } });
        try
        {
            var (id, tech, who) = await Scheduled("install", "KFR-35GW");
            (await CheckIn(id, tech)).Expect(HttpStatusCode.OK);
            app.Clock.Advance(TimeSpan.FromMinutes(40));
            (await tech.Post($"/api/work-orders/{id}/complete", Completion(unitModel: "KFR-26GW", barcode: $"GR{Guid.NewGuid():N}"[..14]))).Expect(HttpStatusCode.OK);
            var flag = Assert.Single(await Flags(id))!;
            Assert.Equal("modelMismatch", flag["kind"]!.GetValue<string>());
            var bad = (await Supervisor.Post($"/api/quality-flags/{flag["id"]}/confirm", new { assessedCost = -1 })).Expect(HttpStatusCode.BadRequest);
            Assert.NotNull(bad.Body["errors"]!["assessedCost"]);
            Assert.Equal("open", Assert.Single(await Flags(id))!["status"]!.GetValue<string>());

            // SC-20: transport 120 + repair 0 + depreciation 200 + re-installation 80 = 400 → max(400, 500) = 500.
            var confirmed = (await Supervisor.Post($"/api/quality-flags/{flag["id"]}/confirm", new { assessedCost = 400.00m, note = "换机" })).Expect(HttpStatusCode.OK).Body;
            var cases = (await _given.Manager.Get($"/api/penalty-cases?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            var fine = Assert.Single(cases)!;
            Assert.Equal(("PEN-52", 500m, "proposed", who.UserId), (fine["ruleId"]!.GetValue<string>(), fine["amount"]!.GetValue<decimal>(),
                fine["state"]!.GetValue<string>(), fine["personUserId"]!.GetValue<int>()));
            Assert.Equal(fine["id"]!.GetValue<long>(), confirmed["penaltyCaseId"]!.GetValue<long>());
            Assert.Equal(flag["id"]!.GetValue<long>(), fine["evidence"]!["qualityFlag"]!.GetValue<long>());
        }
        finally { await Policy("generic"); }
    }

    private async Task<Api> OtherBranchSupervisor()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"质检-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" }))
            .Expect(HttpStatusCode.Created).Id;
        var name = $"s{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = name, displayName = "外分公司主管", password = AppFixture.Password, roles = new[] { "supervisor" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        return app.Api(name);
    }
}
