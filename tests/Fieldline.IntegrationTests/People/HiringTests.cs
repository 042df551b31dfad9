using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.People;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class HiringTestsOnSqlite(SqliteFixture app) : HiringTests(app);
[Collection(PostgresCollection.Name)] public sealed class HiringTestsOnPostgres(PostgresFixture app) : HiringTests(app);

/// <summary>
/// Hiring and leaving (HR-02..11, TRN-01, TRN-06, SC-35) under the Gree preset (and ccec for its training pass): a new hire
/// is neither set active nor dispatched until the checklist is on file and insured; the uniform's cost is split; a leaver's
/// commission is withheld until the offboarding checklist is complete and then paid on the next regular payday.
/// </summary>
public abstract class HiringTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Hr => app.Api("supervisor");

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static IEnumerable<string> Codes(JsonNode reasons) => reasons.AsArray().Select(r => r!["code"]!.GetValue<string>());

    // A 1×1 PNG: a scanned document as the phone or the desk sends it.
    private const string Png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    private static readonly string[] Documents = ["idCardCopy", "recentFrontalPhoto", "medicalExamForm", "recruitmentRegistrationForm", "safetyResponsibilityAgreement"];

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<JsonNode> Eligibility(int technicianId, DateOnly day) =>
        (await _given.Dispatcher.Get($"/api/technicians/{technicianId}/eligibility?date={D(day)}")).Expect(HttpStatusCode.OK).Body;

    /// <summary>A person hired through the API, as HR would: the profile starts onboarding.</summary>
    private async Task<(string User, int Tech, int UserId)> Hire()
    {
        var name = $"h{Guid.NewGuid():N}"[..12];
        var branch = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var user = (await app.Api("admin").Post("/api/users", new { username = name, displayName = "新安装工", password = AppFixture.Password, roles = new[] { "technician" }, branchId = branch }))
            .Expect(HttpStatusCode.Created).Body;
        var tech = (await _given.Manager.Post("/api/technicians", new { userId = user["id"]!.GetValue<int>(), skills = new[] { "ac.install", "ac.repair" }, onDuty = true }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal("onboarding", tech["employment"]!.GetValue<string>());
        return (name, tech["id"]!.GetValue<int>(), user["id"]!.GetValue<int>());
    }

    private Task<Reply> Item(int tech, object body) => Hr.Post($"/api/technicians/{tech}/employment/items", body);

    private async Task<JsonNode> RecordAllBut(int tech, params string[] except)
    {
        JsonNode? last = null;
        foreach (var test in new[] { "theoryTest", "practicalTest" }.Except(except))
            last = (await Item(tech, new { item = test, note = "85 分" })).Expect(HttpStatusCode.OK).Body;
        foreach (var doc in Documents.Except(except))
            last = (await Item(tech, new { item = doc, document = Png })).Expect(HttpStatusCode.OK).Body;
        if (!except.Contains("insurance"))
            last = (await Item(tech, new { item = "insurance", reference = "PICC-2024-0815", validFrom = D(Today.AddDays(-1)), validTo = D(Today.AddYears(1)) })).Expect(HttpStatusCode.OK).Body;
        if (!except.Contains("onboardingTraining"))
            last = (await Item(tech, new { item = "onboardingTraining", note = "公司结构、政策与业务流程" })).Expect(HttpStatusCode.OK).Body;
        return last!;
    }

    [Fact]
    public async Task SC35_a_new_installer_is_neither_set_active_nor_dispatched_until_both_tests_the_documents_the_insurance_and_the_onboarding_training_are_on_file()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (user, tech, _) = await Hire();
            var start = (await Hr.Get($"/api/technicians/{tech}/employment")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(["theoryTest", "practicalTest", .. Documents, "insurance", "onboardingTraining"],
                start["onboarding"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()));
            Assert.Equal("入职办理中", start["employmentName"]!.GetValue<string>());
            Assert.Equal("身份证复印件", start["onboarding"]!.AsArray().Single(i => i!["code"]!.GetValue<string>() == "idCardCopy")!["name"]!.GetValue<string>());

            // HR-08: not dispatched, with the reason in Chinese; the plan leaves the person out.
            var order = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
            var refused = (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains("onboardingIncomplete", Codes(refused["reasons"]!));
            Assert.Contains("入职手续未办完", refused["detail"]!.GetValue<string>());
            var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = D(Today), seconds = 0.2 })).Expect(HttpStatusCode.OK).Body;
            Assert.Contains("onboardingIncomplete", Codes(plan["leftOut"]!.AsArray().Single(t => t!["technicianId"]!.GetValue<int>() == tech)!["reasons"]!));

            // Everything but the insurance: still not active (409 naming what is missing).
            var almost = await RecordAllBut(tech, "insurance");
            Assert.Equal(["insurance"], almost["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
            var early = (await Hr.Post($"/api/technicians/{tech}/employment/activate")).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains("已投保", early["detail"]!.GetValue<string>());
            Assert.Equal("onboarding", (await Hr.Get($"/api/technicians/{tech}/employment")).Body["employment"]!.GetValue<string>());

            var insured = (await Item(tech, new { item = "insurance", reference = "PICC-2024-0815", validFrom = D(Today), validTo = D(Today.AddYears(1)) })).Expect(HttpStatusCode.OK).Body;
            Assert.True(insured["onboardingComplete"]!.GetValue<bool>());
            var insurance = insured["onboarding"]!.AsArray().Single(i => i!["code"]!.GetValue<string>() == "insurance")!;
            Assert.Equal(("PICC-2024-0815", "supervisor"), (insurance["reference"]!.GetValue<string>(), insurance["recordedBy"]!.GetValue<string>()));
            var active = (await Hr.Post($"/api/technicians/{tech}/employment/activate")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("active", active["employment"]!.GetValue<string>());
            Assert.True((await Eligibility(tech, Today))["eligible"]!.GetValue<bool>());
            (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK);
            (await Hr.Post($"/api/technicians/{tech}/employment/activate")).Expect(HttpStatusCode.Conflict); // once

            // The documents: HR and the person read them; the dispatcher may not, another technician does not see them.
            var url = active["onboarding"]!.AsArray().Single(i => i!["code"]!.GetValue<string>() == "medicalExamForm")!["documentUrl"]!.GetValue<string>();
            var file = (await Hr.Get(url)).Expect(HttpStatusCode.OK).Raw;
            Assert.Equal("image/png", file.Content.Headers.ContentType!.MediaType);
            (await app.Api(user).Get(url)).Expect(HttpStatusCode.OK);
            (await app.Api(user).Get($"/api/technicians/{tech}/employment")).Expect(HttpStatusCode.OK);
            (await _given.Dispatcher.Get(url)).Expect(HttpStatusCode.Forbidden);
            (await app.Api("tech02").Get(url)).Expect(HttpStatusCode.NotFound);
            (await app.Api("tech02").Get($"/api/technicians/{tech}/employment")).Expect(HttpStatusCode.NotFound);
            // Personal documents never reach the logs: not their bytes, not their addresses.
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("iVBORw0KGgo", StringComparison.Ordinal));
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC35_a_document_is_checked_by_its_content_and_only_HR_keeps_the_record_naming_each_bad_field()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (user, tech, _) = await Hire();
            var fake = "data:image/png;base64," + Convert.ToBase64String("not a picture at all"u8.ToArray());
            Assert.Equal(["document"], (await Item(tech, new { item = "idCardCopy", document = fake })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            Assert.Equal(["document"], (await Item(tech, new { item = "medicalExamForm" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            var pdf = "data:application/pdf;base64," + Convert.ToBase64String("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\n%%EOF"u8.ToArray());
            (await Item(tech, new { item = "medicalExamForm", document = pdf })).Expect(HttpStatusCode.OK);
            Assert.Equal(["item"], (await Item(tech, new { item = "tattoo" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            var noDates = (await Item(tech, new { item = "insurance" })).Expect(HttpStatusCode.BadRequest).ErrorFields;
            Assert.Equal(["reference", "validFrom", "validTo"], noDates.Order());
            (await _given.Dispatcher.Post($"/api/technicians/{tech}/employment/items", new { item = "theoryTest" })).Expect(HttpStatusCode.Forbidden);
            (await app.Api(user).Post($"/api/technicians/{tech}/employment/items", new { item = "theoryTest" })).Expect(HttpStatusCode.Forbidden);
            var record = (await Hr.Get($"/api/technicians/{tech}/employment")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(["medicalExamForm"], record["onboarding"]!.AsArray().Where(i => i!["done"]!.GetValue<bool>()).Select(i => i!["code"]!.GetValue<string>()));
            (await Hr.Get("/api/technicians/999999/employment")).Expect(HttpStatusCode.NotFound);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC35_a_uniform_of_300_charges_150_to_the_installer_as_a_ledger_line()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (_, tech, userId) = await Hire();
            var issued = (await Hr.Post($"/api/technicians/{tech}/employment/uniform", new { cost = 300 })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(300m, issued["uniform"]!["amount"]!.GetValue<decimal>());
            var ledger = (await _given.Manager.Get($"/api/pay-ledger?month={app.LocalNow:yyyy-MM}&personUserId={userId}")).Expect(HttpStatusCode.OK).Body;
            var line = Assert.Single(ledger["items"]!.AsArray())!;
            Assert.Equal((-150m, "charge", "HR-06"), (line["amount"]!.GetValue<decimal>(), line["kind"]!.GetValue<string>(), line["ruleId"]!.GetValue<string>()));
            Assert.Contains("150", line["description"]!.GetValue<string>());
            Assert.Equal(["cost"], (await Hr.Post($"/api/technicians/{tech}/employment/uniform", new { cost = -5 })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC35_ccec_adds_the_training_certification_before_the_first_dispatch()
    {
        await Policy("ccec-water-purifier");
        try
        {
            var (_, tech, _) = await Hire();
            var record = await RecordAllBut(tech);
            Assert.Equal(["trainingPass"], record["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Contains("培训合格证", (await Hr.Post($"/api/technicians/{tech}/employment/activate")).Expect(HttpStatusCode.Conflict).Body["detail"]!.GetValue<string>());
            Assert.Equal(["item"], (await Item(tech, new { item = "trainingPass" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            (await Hr.Post("/api/certificates", new { technicianId = tech, kind = "trainingPass", number = "CCEC-001", validFrom = D(Today), validTo = D(Today.AddYears(2)) }))
                .Expect(HttpStatusCode.Created);
            Assert.Equal("active", (await Hr.Post($"/api/technicians/{tech}/employment/activate")).Expect(HttpStatusCode.OK).Body["employment"]!.GetValue<string>());
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task HR08_a_lapsed_insurance_makes_the_person_uninsured_refused_by_dispatch_and_left_out_of_the_plan()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (_, tech, _) = await _given.NewTechnician(); // employed before: eligible
            Assert.True((await Eligibility(tech, Today))["eligible"]!.GetValue<bool>());
            (await Item(tech, new { item = "insurance", reference = "PICC-OLD", validFrom = D(Today.AddYears(-1)), validTo = D(Today.AddDays(-1)) })).Expect(HttpStatusCode.OK);
            var lapsed = await Eligibility(tech, Today);
            Assert.Equal(["uninsured"], Codes(lapsed["reasons"]!));
            var order = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
            var refused = (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
            Assert.Equal(["uninsured"], Codes(refused["reasons"]!));
            Assert.Contains("未投保", refused["detail"]!.GetValue<string>());
            var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = D(Today), seconds = 0.2 })).Expect(HttpStatusCode.OK).Body;
            Assert.Contains("uninsured", Codes(plan["leftOut"]!.AsArray().Single(t => t!["technicianId"]!.GetValue<int>() == tech)!["reasons"]!));
            // Renewed: eligible again.
            (await Item(tech, new { item = "insurance", reference = "PICC-NEW", validFrom = D(Today), validTo = D(Today.AddYears(1)) })).Expect(HttpStatusCode.OK);
            Assert.True((await Eligibility(tech, Today))["eligible"]!.GetValue<bool>());
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC35_a_leaver_with_2400_commission_pending_has_it_withheld_while_the_uniform_and_200_of_materials_are_out_and_paid_on_the_next_payday()
    {
        // The scenario's dates: cleared on 2024-08-20 → paid on the next regular payday, 2024-09-10 (the 10th: payroll.payDay).
        Assert.Equal(new DateOnly(2024, 9, 10), RecordLeaving.NextPayday(new DateOnly(2024, 8, 20), 10));
        Assert.Equal(new DateOnly(2024, 8, 10), RecordLeaving.NextPayday(new DateOnly(2024, 7, 31), 10));
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (user, tech, userId) = await _given.NewTechnician(["ac.install"]);
            var started = (await Hr.Post($"/api/technicians/{tech}/offboarding", new { lastDay = D(Today), reason = "resigned", commissionPending = 2400 })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("leaving", started["employment"]!.GetValue<string>());
            Assert.Equal(2400m, started["offboarding"]!["withheld"]!.GetValue<decimal>());
            Assert.Equal(["leavingForm", "returnUniform", "terminateInsurance", "settleDebtsBorrowedMaterialsAndItems"],
                started["offboarding"]!["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()));
            (await Hr.Post($"/api/technicians/{tech}/offboarding", new { lastDay = D(Today), reason = "resigned", commissionPending = 2400 })).Expect(HttpStatusCode.Conflict);

            // Leaving form signed and insurance ended, but the uniform is not back and 200 CNY of materials still borrowed: withheld.
            (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "leavingForm" })).Expect(HttpStatusCode.OK);
            var partial = (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "terminateInsurance" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(2400m, partial["offboarding"]!["withheld"]!.GetValue<decimal>());
            Assert.Null(partial["offboarding"]!["paidOn"]);
            Assert.Empty(await Lines(userId));
            // The day after the last one, the person is not dispatched.
            Assert.Contains("leftCompany", Codes((await Eligibility(tech, Today.AddDays(1)))["reasons"]!));
            Assert.True((await Eligibility(tech, Today))["eligible"]!.GetValue<bool>());

            (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "returnUniform" })).Expect(HttpStatusCode.OK);
            var cleared = (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "settleDebtsBorrowedMaterialsAndItems", note = "材料已退回" })).Expect(HttpStatusCode.OK).Body;
            var payday = RecordLeaving.NextPayday(Today, 10);
            Assert.Equal(("left", D(Today), D(payday), 0m), (cleared["employment"]!.GetValue<string>(), cleared["offboarding"]!["clearedOn"]!.GetValue<string>(),
                cleared["offboarding"]!["paidOn"]!.GetValue<string>(), cleared["offboarding"]!["withheld"]!.GetValue<decimal>()));
            // Paid with the active installers: in the pay month paid on that payday, the month before it.
            var paid = Assert.Single(await Around(userId, payday), l => l!["kind"]!.GetValue<string>() == "commission")!;
            Assert.Equal((2400m, "commission"), (paid["amount"]!.GetValue<decimal>(), paid["kind"]!.GetValue<string>()));
            Assert.Contains(D(payday), paid["description"]!.GetValue<string>());
            (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "returnUniform" })).Expect(HttpStatusCode.Conflict);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC35_borrowed_materials_settled_in_money_deduct_their_200_before_the_2400_commission_is_paid()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (_, tech, userId) = await _given.NewTechnician(["ac.install"]);
            (await Hr.Post($"/api/technicians/{tech}/offboarding", new { lastDay = D(Today), reason = "dismissed", commissionPending = 2400 })).Expect(HttpStatusCode.OK);
            Assert.Equal(["settledAmount"], (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "returnUniform", settledAmount = 200 }))
                .Expect(HttpStatusCode.BadRequest).ErrorFields);
            foreach (var item in new[] { "leavingForm", "returnUniform", "terminateInsurance" })
                (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item })).Expect(HttpStatusCode.OK);
            var settled = (await Hr.Post($"/api/technicians/{tech}/offboarding/items", new { item = "settleDebtsBorrowedMaterialsAndItems", settledAmount = 200 })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("left", settled["employment"]!.GetValue<string>());
            var payday = RecordLeaving.NextPayday(Today, 10);
            var charge = Assert.Single(await Around(userId, payday), l => l!["kind"]!.GetValue<string>() == "charge")!;
            Assert.Equal((-200m, "HR-09"), (charge["amount"]!.GetValue<decimal>(), charge["ruleId"]!.GetValue<string>()));
            var commission = Assert.Single(await Around(userId, payday), l => l!["kind"]!.GetValue<string>() == "commission")!;
            Assert.Equal(2400m, commission["amount"]!.GetValue<decimal>());
            // The charge was posted first (a lower id): deducted before the commission is paid.
            Assert.True(charge["id"]!.GetValue<long>() < commission["id"]!.GetValue<long>());
        }
        finally { await Policy("generic"); }
    }

    /// <summary>
    /// The lines of the pay month paid on <paramref name="payday"/> (the month before it) and of the months after it up to
    /// this one: a month already closed by another test sends a posting to the next open one.
    /// </summary>
    private async Task<List<JsonNode?>> Around(int userId, DateOnly payday)
    {
        var lines = new List<JsonNode?>();
        var current = new DateOnly(app.LocalNow.Year, app.LocalNow.Month, 1);
        var first = new DateOnly(payday.Year, payday.Month, 1).AddMonths(-1);
        for (var m = first < current ? first : current; m <= current.AddMonths(1); m = m.AddMonths(1)) lines.AddRange(await Lines(userId, m));
        return lines;
    }

    [Fact]
    public async Task HR_records_the_last_checklist_item_on_the_hiring_desk_sets_the_person_active_there_and_starts_the_offboarding()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (_, tech, _) = await Hire();
            await RecordAllBut(tech, "theoryTest");
            var console = await ConsoleSession.SignIn(app, "supervisor");
            var page = await console.Get($"/people/hiring?technicianId={tech}");
            Assert.Contains("入职清单", page);
            Assert.Contains("理论考核合格", page);
            Assert.Contains("入职办理中", page);
            var id = tech.ToString(CultureInfo.InvariantCulture);
            var recorded = await console.Post($"/people/hiring?technicianId={tech}&handler=Item", [new("technicianId", id), new("item", "theoryTest"), new("note", "90 分")]);
            Assert.Contains("已保存", recorded);
            var activated = await console.Post($"/people/hiring?technicianId={tech}&handler=Activate", [new("technicianId", id)]);
            Assert.Contains("在职", activated);
            Assert.Equal("active", (await Hr.Get($"/api/technicians/{tech}/employment")).Body["employment"]!.GetValue<string>());
            var offboarding = await console.Post($"/people/hiring?technicianId={tech}&handler=Offboard",
                [new("technicianId", id), new("lastDay", D(Today)), new("reason", "resigned"), new("commissionPending", "2400")]);
            Assert.Contains("扣押中：2400.00 元", offboarding);
            // Bad input stays on the page, naming the field.
            var bad = await console.Post($"/people/hiring?technicianId={tech}&handler=Uniform", [new("technicianId", id), new("cost", "-1")]);
            Assert.Contains("费用", bad);
        }
        finally { await Policy("generic"); }
    }

    private async Task<List<JsonNode?>> Lines(int userId, DateOnly? month = null) =>
        (await _given.Manager.Get($"/api/pay-ledger?month={(month is { } m ? m.ToString("yyyy-MM", CultureInfo.InvariantCulture) : app.LocalNow.ToString("yyyy-MM", CultureInfo.InvariantCulture))}&personUserId={userId}"))
            .Expect(HttpStatusCode.OK).Body["items"]!.AsArray().ToList();
}
