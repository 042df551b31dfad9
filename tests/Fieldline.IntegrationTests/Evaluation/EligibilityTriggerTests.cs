using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class EligibilityTriggerTestsOnSqlite(SqliteFixture app) : EligibilityTriggerTests(app);
[Collection(PostgresCollection.Name)] public sealed class EligibilityTriggerTestsOnPostgres(PostgresFixture app) : EligibilityTriggerTests(app);

/// <summary>
/// regulations.md §24 (EVL): every trigger revokes the month's evaluation eligibility through the one mechanism (the rule's
/// <c>revokeEvaluationEligibility</c> action, applied when its case is confirmed), auditable with its rule id, and the person
/// and the manager are told why, in Chinese. The triggers tested elsewhere: EVL-01 (ViolationTests SC-34), EVL-07/08
/// (LeakTests), EVL-12 (ComplaintFindingTests), EVL-13 (SlaScenarioTests brand fines), EVL-15 (SC-10), EVL-16 (MoneyTests),
/// EVL-17 (SC-08), EVL-18 (SC-12).
/// </summary>
public abstract class EligibilityTriggerTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private string Month => app.LocalNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>A new technician of the Changsha branch who only installs (installer) or only repairs (repair technician).</summary>
    private async Task<(string User, int UserId, string Name)> Staff(string kind)
    {
        var name = $"e{Guid.NewGuid():N}"[..12];
        var display = "考评" + name[1..5];
        var branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var id = (await app.Api("admin").Post("/api/users", new { username = name, displayName = display, password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
            .Expect(HttpStatusCode.Created).Body["id"]!.GetValue<int>();
        var skills = kind == "installer" ? new[] { "ac.install", "purifier.install" } : ["ac.repair", "purifier.repair"];
        (await _given.Manager.Post("/api/technicians", new { userId = id, skills, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created);
        return (name, id, display);
    }

    private async Task<JsonNode> Violation(string by, object body) =>
        Assert.Single((await app.Api(by).Post("/api/violations", body)).Expect(HttpStatusCode.OK).Body["cases"]!.AsArray())!;

    private async Task<JsonNode> Confirm(JsonNode penalty) =>
        (await _given.Manager.Post($"/api/penalty-cases/{penalty["id"]}/confirm", new { note = "经核实" })).Expect(HttpStatusCode.OK).Body;

    private async Task<JsonArray> Counters(int person) =>
        (await _given.Manager.Get($"/api/sla/eligibility?month={Month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body.AsArray();

    private async Task<bool> Revoked(int person, string ruleId) =>
        (await Counters(person)).Any(c => c!["ruleId"]?.GetValue<string>() == ruleId && c["revoked"]!.GetValue<bool>());

    /// <summary>
    /// The month's eligibility is revoked by <paramref name="ruleId"/>; the person and the manager each got the notice,
    /// in Chinese, naming the person and the rule; the month's statement says why.
    /// </summary>
    private async Task AssertRevoked((string User, int UserId, string Name) person, string ruleId)
    {
        Assert.True(await Revoked(person.UserId, ruleId), $"{ruleId} should have revoked the month's eligibility");
        await app.Tick();
        foreach (var reader in new[] { person.User, "manager" })
        {
            var inbox = (await app.Api(reader).Get("/api/notifications?pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            var notice = inbox.LastOrDefault(n => n!["kind"]!.GetValue<string>() == "eligibilityRevoked" && n["body"]!.GetValue<string>().Contains(person.Name));
            Assert.NotNull(notice);
            var body = notice!["body"]!.GetValue<string>();
            Assert.Contains(ruleId, body);
            Assert.Contains("考评资格", body);
            Assert.Contains("考评资格取消", notice["title"]!.GetValue<string>());
        }
        var statement = Assert.Single((await app.Api("finance").Get($"/api/pay-statements?month={Month}&personUserId={person.UserId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;
        Assert.True(statement["eligibilityRevoked"]!.GetValue<bool>());
        Assert.Contains(statement["eligibilityReasons"]!.AsArray(), r => r!.GetValue<string>().Contains(ruleId));
    }

    [Fact]
    public async Task EVL02_a_repair_technicians_second_disobedience_of_the_dispatcher_this_month_revokes_the_months_eligibility_the_first_does_not()
    {
        await Policy("gree-dealer-changsha-2012");
        await app.At(app.Next(DayOfWeek.Tuesday, 9));
        var li = await Staff("repair");
        var first = await Violation("supervisor", new { ruleId = "PEN-01", personUserId = li.UserId, evidence = new { text = "不服从调度安排" } });
        Assert.Equal(("PEN-79", 100m, "confirmed"), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>(), first["state"]!.GetValue<string>()));
        Assert.False(await Revoked(li.UserId, "PEN-79"));
        app.Clock.Advance(TimeSpan.FromHours(3));
        var second = await Violation("supervisor", new { ruleId = "PEN-79", personUserId = li.UserId });
        Assert.Equal(("2", 0m), (second["step"]!.GetValue<string>(), second["amount"]!.GetValue<decimal>()));
        await AssertRevoked(li, "PEN-79");
        await Policy("generic");
    }

    [Theory]
    [InlineData("PEN-64")] // EVL-03: the position chosen without the property office's or the customer's consent
    [InlineData("PEN-65")] // EVL-04: did not warn about a position that hurts performance
    public async Task EVL03_EVL04_a_position_fault_the_customer_complained_of_costs_the_installer_50_and_once_confirmed_the_months_eligibility(string ruleId)
    {
        await Policy("gree-dealer-changsha-2012");
        await app.At(app.Next(DayOfWeek.Wednesday, 10));
        var zhang = await Staff("installer");
        // Condition customerComplaint: the complaint desk's finding waits for a manager; nothing is revoked before.
        var proposed = await Violation("complaints", new { ruleId, personUserId = zhang.UserId, evidence = new { text = "客户投诉:外机位置未经物业同意" } });
        Assert.Equal((ruleId, 50m, "proposed"), (proposed["ruleId"]!.GetValue<string>(), proposed["amount"]!.GetValue<decimal>(), proposed["state"]!.GetValue<string>()));
        Assert.False(await Revoked(zhang.UserId, ruleId));
        Assert.Equal("confirmed", (await Confirm(proposed))["state"]!.GetValue<string>());
        await AssertRevoked(zhang, ruleId);
        await Policy("generic");
    }

    [Fact]
    public async Task EVL05_a_unit_fall_charges_the_installer_the_assessed_loss_and_revokes_the_months_eligibility_at_once()
    {
        await Policy("gree-dealer-changsha-2012");
        await app.At(app.Next(DayOfWeek.Thursday, 10));
        var wang = await Staff("installer");
        var bad = (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-63", personUserId = wang.UserId, amount = 0m })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("amount", bad.ErrorFields);
        Assert.Empty(await Counters(wang.UserId));
        var fall = await Violation("supervisor", new { ruleId = "PEN-63", personUserId = wang.UserId, amount = 1280m, evidence = new { text = "外机支架未固定,外机坠落,砸坏客户雨棚" } });
        Assert.Equal(("PEN-63", 1280m, "confirmed"), (fall["ruleId"]!.GetValue<string>(), fall["amount"]!.GetValue<decimal>(), fall["state"]!.GetValue<string>()));
        await AssertRevoked(wang, "PEN-63");
        await Policy("generic");
    }

    [Fact]
    public async Task EVL06_damage_to_the_customers_property_is_charged_at_its_price_and_revokes_the_installers_eligibility()
    {
        await Policy("binchun-water-purifier-2015");
        await app.At(app.Next(DayOfWeek.Friday, 10));
        var zhao = await Staff("installer");
        var damage = await Violation("supervisor", new { ruleId = "PEN-67", personUserId = zhao.UserId, amount = 350m, evidence = new { text = "打孔弄脏客户墙面,划伤木地板" } });
        Assert.Equal(("PEN-67", 350m, "confirmed"), (damage["ruleId"]!.GetValue<string>(), damage["amount"]!.GetValue<decimal>(), damage["state"]!.GetValue<string>()));
        await AssertRevoked(zhao, "PEN-67");
        await Policy("generic");
    }

    [Fact]
    public async Task EVL10_reputation_damage_at_the_customers_home_fines_the_installer_100_and_revokes_the_months_eligibility()
    {
        await Policy("gree-dealer-changsha-2012");
        await app.At(app.Next(DayOfWeek.Monday, 15));
        var sun = await Staff("installer");
        var remark = await Violation("supervisor", new { ruleId = "PEN-74", personUserId = sun.UserId, evidence = new { text = "在客户家中说公司坏话" } });
        Assert.Equal(("PEN-74", 100m, "confirmed"), (remark["ruleId"]!.GetValue<string>(), remark["amount"]!.GetValue<decimal>(), remark["state"]!.GetValue<string>()));
        await AssertRevoked(sun, "PEN-74");
        await Policy("generic");
    }

    [Fact]
    public async Task EVL11_height_work_without_a_belt_the_first_time_fines_200_revokes_eligibility_and_warns_seriously_the_second_opens_a_dismissal_review()
    {
        await Policy("gree-dealer-changsha-2012");
        await app.At(app.Next(DayOfWeek.Tuesday, 14));
        var zhou = await Staff("installer");
        var first = await Violation("supervisor", new { ruleId = "PEN-76", personUserId = zhou.UserId, evidence = new { text = "三楼外机安装未系安全带" } });
        Assert.Equal(("PEN-76", 200m, "confirmed", "1"), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>(), first["state"]!.GetValue<string>(), first["step"]!.GetValue<string>()));
        await AssertRevoked(zhou, "PEN-76");
        var inbox = (await app.Api(zhou.User).Get("/api/notifications?pageSize=200")).Body["items"]!.AsArray();
        Assert.Contains(inbox, n => n!["kind"]!.GetValue<string>() == "seriousWarning");

        app.Clock.Advance(TimeSpan.FromDays(1));
        var second = await Violation("supervisor", new { ruleId = "PEN-76", personUserId = zhou.UserId });
        Assert.Equal(("2", "proposed"), (second["step"]!.GetValue<string>(), second["state"]!.GetValue<string>()));
        Assert.Contains((await _given.Manager.Get("/api/dismissal-reviews?state=open")).Body.AsArray(), r => r!["penaltyCaseId"]?.GetValue<long>() == second["id"]!.GetValue<long>());
        await Policy("generic");
    }

    [Fact]
    public async Task EVL14_a_missing_uniform_the_brand_penalised_passes_the_brands_fine_and_revokes_this_months_eligibility_a_plain_one_fines_50_only()
    {
        await Policy("gree-dealer-changsha-2012");
        await app.At(app.Next(DayOfWeek.Wednesday, 15));
        var wu = await Staff("repair");
        // Without the brand's penalty: 50 CNY, eligibility kept.
        var plain = await Violation("supervisor", new { ruleId = "PEN-81", personUserId = wu.UserId, evidence = new { text = "未穿工作服,客户不满意" } });
        Assert.Equal(("PEN-81", 50m), (plain["ruleId"]!.GetValue<string>(), plain["amount"]!.GetValue<decimal>()));
        await Confirm(plain);
        Assert.False(await Revoked(wu.UserId, "PEN-81"));

        // Gree penalised it: the brand's fine (assessed: 300) is passed on and this month's eligibility goes.
        var bad = (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-81", personUserId = wu.UserId, amount = 300m })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("amount", bad.ErrorFields);
        var penalised = await Violation("supervisor", new { ruleId = "PEN-81", personUserId = wu.UserId, qualifier = "brandPenalised", amount = 300m, evidence = new { text = "格力抽查:未持上岗证,罚款300元" } });
        Assert.Equal(("brandPenalised", 300m), (penalised["step"]!.GetValue<string>(), penalised["amount"]!.GetValue<decimal>()));
        await Confirm(penalised);
        await AssertRevoked(wu, "PEN-81");
        var ledger = (await app.Api("finance").Get($"/api/pay-ledger?month={Month}&personUserId={wu.UserId}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(-350m, Assert.Single(ledger["totals"]!.AsArray())!["total"]!.GetValue<decimal>());
        await Policy("generic");
    }

    [Theory]
    [InlineData("gree-dealer-changsha-2012", "company", false)]
    [InlineData("gree-dealer-changsha-2012", "brand", true)]
    [InlineData("binchun-water-purifier-2015", "company", true)] // Binchun names no target: read as a complaint to the company (A13)
    public async Task EVL09_a_non_standard_service_complaint_fines_the_installer_100_and_revokes_eligibility_only_at_the_level_the_preset_names(string preset, string level, bool revokes)
    {
        await Policy(preset);
        await app.At(app.Next(DayOfWeek.Thursday, 9));
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var order = (await _given.Clerk.Post("/api/work-orders", new { type = "install", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "安装" }))
            .Expect(HttpStatusCode.Created).Id;
        var installer = await Staff("installer");
        var technicianId = await _given.TechnicianId(installer.User);
        (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId })).Expect(HttpStatusCode.OK);
        (await app.Api(installer.User).Post($"/api/work-orders/{order}/accept")).Expect(HttpStatusCode.OK);
        var complaint = (await app.Api("complaints").Post("/api/complaints", new { type = "other", level, channel = "hotline", workOrderId = order, description = "安装不规范,未按标准服务" }))
            .Expect(HttpStatusCode.Created).Body;
        (await app.Api("complaints").Post($"/api/complaints/{complaint["id"]}/findings", new { penaltyKey = "nonStandardServiceComplaint" })).Expect(HttpStatusCode.Created);
        (await app.Api("complaints").Post($"/api/complaints/{complaint["id"]}/verify", new { note = "服务不规范属实" })).Expect(HttpStatusCode.OK);
        var penalty = Assert.Single((await _given.Manager.Get($"/api/penalty-cases?complaintId={complaint["id"]}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;
        Assert.Equal(("PEN-72", 100m, "confirmed", installer.UserId), (penalty["ruleId"]!.GetValue<string>(), penalty["amount"]!.GetValue<decimal>(),
            penalty["state"]!.GetValue<string>(), penalty["personUserId"]!.GetValue<int>()));
        if (revokes) await AssertRevoked(installer, "PEN-72");
        else Assert.False(await Revoked(installer.UserId, "PEN-72"));
        await Policy("generic");
    }
}
