using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Quality;

[Collection(SqliteCollection.Name)] public sealed class CustomerConfirmationTestsOnSqlite(SqliteFixture app) : CustomerConfirmationTests(app);
[Collection(PostgresCollection.Name)] public sealed class CustomerConfirmationTestsOnPostgres(PostgresFixture app) : CustomerConfirmationTests(app);

/// <summary>
/// The customer's signed confirmations of an installation (用户确认书, INS-03/09/16, ONS-09): a capacity that does not suit
/// the room or a pre-laid pipe job is completed only with one; a bad position only where the policy requires it; the
/// keeper the regulation names files it once.
/// </summary>
public abstract class CustomerConfirmationTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private static readonly string Png = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng);

    private async Task Policy(object? parameters = null) =>
        (await _given.Manager.Put("/api/policy", parameters is null ? new { basedOn = "generic" } : new { basedOn = "generic", parameters })).Expect(HttpStatusCode.OK);

    private static object Completion(object checklist, object[]? confirmations = null) => new
    {
        resolution = "安装完成,试机正常", faultCategory = "component", barcode = $"GR{Guid.NewGuid():N}"[..14], testRunMinutes = 30, checklist,
        signature = Png, photos = new[] { Png }, confirmations,
    };

    private static object Signed(string topic, string signer = "王建国") => new { topic, signerName = signer, signature = Png };

    private async Task<JsonArray> Confirmations(long orderId, Api? as_ = null) =>
        (await (as_ ?? _given.Dispatcher).Get($"/api/customer-confirmations?workOrderId={orderId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    [Fact]
    public async Task INS03_an_installation_whose_capacity_does_not_suit_the_room_completes_only_with_the_customers_signed_confirmation_which_the_dispatcher_files_once()
    {
        var (id, tech) = await _given.OnSite();
        var checklist = new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = false };
        var refused = (await tech.Post($"/api/work-orders/{id}/complete", Completion(checklist))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("亲笔签名", refused.Body["errors"]!["confirmations.capacityMismatch"]![0]!.GetValue<string>());
        Assert.Equal("inProgress", (await tech.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
        Assert.Empty(await Confirmations(id));

        (await tech.Post($"/api/work-orders/{id}/complete", Completion(checklist, [Signed("capacityMismatch")]))).Expect(HttpStatusCode.OK);
        var c = Assert.Single(await Confirmations(id))!;
        Assert.Equal(("capacityMismatch", "INS-03", "王建国", "dispatcher", "pending"), (c["topic"]!.GetValue<string>(), c["rule"]!.GetValue<string>(),
            c["signerName"]!.GetValue<string>(), c["keeperRole"]!.GetValue<string>(), c["status"]!.GetValue<string>()));
        var image = await _given.Dispatcher.Get(c["imageUrl"]!.GetValue<string>());
        image.Expect(HttpStatusCode.OK);

        // Who may read and file it: not the technician or the clerk; the warehouse keeper, who does not keep this one, does not see it.
        (await tech.Get($"/api/customer-confirmations?workOrderId={id}")).Expect(HttpStatusCode.Forbidden);
        (await _given.Clerk.Get($"/api/customer-confirmations?workOrderId={id}")).Expect(HttpStatusCode.Forbidden);
        Assert.Empty(await Confirmations(id, app.Api("warehouse")));
        (await app.Api("warehouse").Post($"/api/customer-confirmations/{c["id"]}/file", new { })).Expect(HttpStatusCode.NotFound);

        var filed = (await _given.Dispatcher.Post($"/api/customer-confirmations/{c["id"]}/file", new { version = c["version"]!.GetValue<int>() })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("filed", filed["status"]!.GetValue<string>());
        Assert.NotNull(filed["filedAt"]);
        var again = (await _given.Dispatcher.Post($"/api/customer-confirmations/{c["id"]}/file", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("不能收存", again.Str("detail")); // the action in words, not "file" (h5 F21)
        Assert.DoesNotContain(await Pending(), p => p!["id"]!.GetValue<long>() == c["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task SC19_with_the_companys_capacity_table_a_1_HP_unit_for_a_30_square_metre_room_needs_the_customers_confirmation_whatever_was_ticked()
    {
        await Policy(new { installation = new { capacityRoomAreaTable = new[] { new { hp = 1m, maxAreaM2 = 15m }, new { hp = 1.5m, maxAreaM2 = 22m } } } });
        long small, fits;
        Api tech, other;
        try { (small, tech) = await _given.OnSite(); (fits, other) = await _given.OnSite(); }
        finally { await Policy(); }
        Assert.Equal([1m, 1.5m], (await _given.Manager.Get($"/api/policy?version={(await _given.Manager.Get($"/api/work-orders/{small}")).Body["policyVersion"]}"))
            .Body["parameters"]!["installation"]!["capacityRoomAreaTable"]!.AsArray().Select(r => r!["hp"]!.GetValue<decimal>()));

        var checklist = new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = true, capacityHp = 1, roomAreaM2 = 30 };
        var refused = (await tech.Post($"/api/work-orders/{small}/complete", Completion(checklist))).Expect(HttpStatusCode.BadRequest);
        var text = refused.Body["errors"]!["confirmations.capacityMismatch"]![0]!.GetValue<string>();
        Assert.Contains("1 匹", text);
        Assert.Contains("15 ㎡", text);
        Assert.Contains("30 ㎡", text);
        (await tech.Post($"/api/work-orders/{small}/complete", Completion(checklist, [Signed("capacityMismatch")]))).Expect(HttpStatusCode.OK);
        Assert.Single(await Confirmations(small));

        // 1.5 HP for 20 m² suits: nothing to sign.
        (await other.Post($"/api/work-orders/{fits}/complete", Completion(new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = true, capacityHp = 1.5, roomAreaM2 = 20 })))
            .Expect(HttpStatusCode.OK);
        Assert.Empty(await Confirmations(fits));
    }

    [Fact]
    public async Task INS03_a_capacity_ticked_as_suiting_the_room_or_a_repair_needs_no_confirmation()
    {
        var (install, tech) = await _given.OnSite();
        (await tech.Post($"/api/work-orders/{install}/complete", Completion(new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = true })))
            .Expect(HttpStatusCode.OK);
        var (repair, repairer) = await _given.OnSite("repair");
        (await repairer.Post($"/api/work-orders/{repair}/complete", Completion(new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = false })))
            .Expect(HttpStatusCode.OK);
        Assert.Empty(await Confirmations(install));
        Assert.Empty(await Confirmations(repair));
    }

    [Fact]
    public async Task INS16_a_pre_laid_pipe_job_needs_the_customers_confirmation_and_the_materials_administrator_keeps_it_where_the_policy_says_so()
    {
        await Policy(new { installation = new { preLaidPipeConfirmationKeptBy = "materialsAdministrator" } });
        try
        {
            var (id, tech) = await _given.OnSite();
            var checklist = new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = true, preLaidPipes = true };
            var refused = (await tech.Post($"/api/work-orders/{id}/complete", Completion(checklist))).Expect(HttpStatusCode.BadRequest);
            Assert.Contains("铜管", refused.Body["errors"]!["confirmations.preLaidPipes"]![0]!.GetValue<string>());
            (await tech.Post($"/api/work-orders/{id}/complete", Completion(checklist, [Signed("preLaidPipes")]))).Expect(HttpStatusCode.OK);
            var c = Assert.Single(await Confirmations(id))!;
            Assert.Equal(("INS-16", "warehouseKeeper"), (c["rule"]!.GetValue<string>(), c["keeperRole"]!.GetValue<string>()));
            Assert.Single(await Confirmations(id, app.Api("warehouse")));
            var notKeeper = (await _given.Dispatcher.Post($"/api/customer-confirmations/{c["id"]}/file", new { })).Expect(HttpStatusCode.Forbidden);
            Assert.Contains("库管员", notKeeper.Body["detail"]!.GetValue<string>());
            (await app.Api("warehouse").Post($"/api/customer-confirmations/{c["id"]}/file", new { })).Expect(HttpStatusCode.OK);
        }
        finally { await Policy(); }
    }

    [Fact]
    public async Task INS09_ONS09_a_bad_position_is_preferably_signed_and_needs_the_confirmation_only_where_the_policy_requires_it()
    {
        var checklist = new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = true, notAboveElectronics = false, positionGood = false };
        var (preferred, tech) = await _given.OnSite();
        (await tech.Post($"/api/work-orders/{preferred}/complete", Completion(checklist, [Signed("aboveElectronics")]))).Expect(HttpStatusCode.OK);
        Assert.Equal("aboveElectronics", Assert.Single(await Confirmations(preferred))!["topic"]!.GetValue<string>());

        await Policy(new { installation = new { customerWaiverForBadPosition = "required" } });
        try
        {
            var (required, other) = await _given.OnSite();
            var refused = (await other.Post($"/api/work-orders/{required}/complete", Completion(checklist, [Signed("aboveElectronics")]))).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["confirmations.badPosition"], refused.Body["errors"]!.AsObject().Select(e => e.Key).ToArray());
            (await other.Post($"/api/work-orders/{required}/complete", Completion(checklist, [Signed("aboveElectronics"), Signed("badPosition")]))).Expect(HttpStatusCode.OK);
            Assert.Equal(2, (await Confirmations(required)).Count);
        }
        finally { await Policy(); }
    }

    [Fact]
    public async Task A_malformed_confirmation_is_refused_naming_each_field_and_changes_nothing()
    {
        var (id, tech) = await _given.OnSite();
        var checklist = new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = false };
        var bad = (await tech.Post($"/api/work-orders/{id}/complete", Completion(checklist, [
            new { topic = "weather", signerName = "王建国", signature = Png },
            new { topic = "capacityMismatch", signerName = " ", signature = "data:image/png;base64," + Convert.ToBase64String("<script>"u8.ToArray()) },
            Signed("preLaidPipes"), Signed("preLaidPipes"),
        ]))).Expect(HttpStatusCode.BadRequest).Body["errors"]!.AsObject();
        Assert.Equal(["confirmations[0].topic", "confirmations[1].signature", "confirmations[1].signerName", "confirmations[3].topic"], bad.Select(e => e.Key).Order().ToArray());
        var tooMany = (await tech.Post($"/api/work-orders/{id}/complete", Completion(checklist, Enumerable.Repeat(Signed("badPosition"), 5).ToArray())))
            .Expect(HttpStatusCode.BadRequest).Body["errors"]!.AsObject();
        Assert.Equal(["confirmations"], tooMany.Select(e => e.Key).ToArray());
        Assert.Equal("inProgress", (await tech.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
        Assert.Empty(await Confirmations(id));
    }

    [Fact]
    public async Task A_dispatcher_of_another_branch_neither_sees_nor_files_the_confirmations_of_this_one()
    {
        var (id, tech) = await _given.OnSite();
        (await tech.Post($"/api/work-orders/{id}/complete", Completion(new { powerOff = true, testRun = true, serviceSticker = true, capacityMatchesRoom = false },
            [Signed("capacityMismatch")]))).Expect(HttpStatusCode.OK);
        var c = Assert.Single(await Confirmations(id))!;
        var outsider = await OtherBranchDispatcher();
        Assert.Empty(await Confirmations(id, outsider));
        (await outsider.Post($"/api/customer-confirmations/{c["id"]}/file", new { })).Expect(HttpStatusCode.NotFound);
        Assert.Equal("pending", Assert.Single(await Confirmations(id))!["status"]!.GetValue<string>());
    }

    private async Task<JsonArray> Pending() =>
        (await _given.Dispatcher.Get("/api/customer-confirmations?status=pending&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    private async Task<Api> OtherBranchDispatcher()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"确认-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" }))
            .Expect(HttpStatusCode.Created).Id;
        var name = $"d{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = name, displayName = "外分公司调度", password = AppFixture.Password, roles = new[] { "dispatcher" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        return app.Api(name);
    }
}
