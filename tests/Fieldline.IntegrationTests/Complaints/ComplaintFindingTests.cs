using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Complaints;

[Collection(SqliteCollection.Name)] public sealed class ComplaintFindingTestsOnSqlite(SqliteFixture app) : ComplaintFindingTests(app);
[Collection(PostgresCollection.Name)] public sealed class ComplaintFindingTestsOnPostgres(PostgresFixture app) : ComplaintFindingTests(app);

/// <summary>
/// The fines that need a complaint (CPL-20, regulations.md §22 "C"): the handler records what the complaint establishes
/// (PEN-15/16/17/20/22/23/26 …) against a person, each finding proposes one case of the order's policy, the complaint's
/// verification confirms it and its rejection dismisses it; a complaint against the after-sales supervisor (CPL-11, PEN-94, SC-30).
/// </summary>
public abstract class ComplaintFindingTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Handler => app.Api("complaints");

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<int> Changsha() => (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();

    /// <summary>A repair (or installation) order of the policy in force, dispatched to a new technician who accepted and called the customer at once.</summary>
    private async Task<(long Order, (string User, int TechnicianId, int UserId) Tech)> ServicedOrder(string type = "repair")
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var body = type == "repair" ? Given.RepairBody(customer, serial) : new { type, channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "安装" };
        var id = (await _given.Clerk.Post("/api/work-orders", body)).Expect(HttpStatusCode.Created).Id;
        var tech = await _given.NewTechnician();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        (await app.Api(tech.User).Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var at = app.LocalNow.AddDays(1);
        (await app.Api(tech.User).Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        return (id, tech);
    }

    private async Task<JsonNode> Complaint(object body) => (await Handler.Post("/api/complaints", body)).Expect(HttpStatusCode.Created).Body;

    private Task<JsonNode> ComplaintAbout(long orderId, string type = "noVisit", string level = "company") =>
        Complaint(new { type, level, channel = "hotline", workOrderId = orderId, description = "约好下午两点,师傅四点半才到,还把空调在地板上拖" });

    private Task<Reply> Finding(JsonNode complaint, string penaltyKey, int? personUserId = null, string? note = null, string user = "complaints") =>
        app.Api(user).Post($"/api/complaints/{complaint["id"]}/findings", new { penaltyKey, personUserId, note });

    private async Task<JsonArray> CasesOf(JsonNode complaint) =>
        (await _given.Manager.Get($"/api/penalty-cases?complaintId={complaint["id"]}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    private async Task<(string User, int UserId)> NewSupervisor()
    {
        var name = $"sv{Guid.NewGuid():N}"[..12];
        // A manager may grant the supervisor role (never admin or manager).
        var user = (await _given.Manager.Post("/api/users", new { username = name, displayName = "售后主管", password = AppFixture.Password, roles = new[] { "supervisor" }, branchId = await Changsha() }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal("supervisor", Assert.Single(user["roles"]!.AsArray())!.GetValue<string>());
        return (name, user["id"]!.GetValue<int>());
    }

    /// <summary>A user with <paramref name="role"/> in a new branch of the company (not Changsha).</summary>
    private async Task<(string User, int UserId)> UserOfAnotherBranch(string role)
    {
        var headOffice = (await app.Api("admin").Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await app.Api("admin").Post("/api/branches", new { name = $"株洲分公司-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"zz{Guid.NewGuid():N}"[..12];
        var id = (await app.Api("admin").Post("/api/users", new { username = name, displayName = "株洲员工", password = AppFixture.Password, roles = new[] { role }, branchId = branch }))
            .Expect(HttpStatusCode.Created).Id;
        return (name, (int)id);
    }

    private static (string, decimal, string, string, int) Summary(JsonNode c) => (c["ruleId"]!.GetValue<string>(), c["amount"]!.GetValue<decimal>(),
        c["condition"]!.GetValue<string>(), c["state"]!.GetValue<string>(), c["personUserId"]!.GetValue<int>());

    [Fact]
    public async Task A_charging_complaint_that_reached_the_brand_also_costs_the_months_evaluation_eligibility_and_one_to_the_company_does_not()
    {
        // PEN-77 (FEE-09, EVL-12): 200 CNY, and eligibility only when the complaint reached Gree.
        await Policy("gree-dealer-changsha-2012");
        var month = app.LocalNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        async Task<bool> Revoked(int person) => (await _given.Manager.Get($"/api/sla/eligibility?month={month}&personUserId={person}")).Body.AsArray()
            .Any(c => c!["ruleId"]?.GetValue<string>() == "PEN-77" && c["revoked"]!.GetValue<bool>());
        foreach (var (level, revoked) in new[] { ("company", false), ("brand", true) })
        {
            var (order, tech) = await ServicedOrder();
            var complaint = await ComplaintAbout(order, "other", level);
            (await Finding(complaint, "chargingViolationComplaint")).Expect(HttpStatusCode.Created);
            (await Handler.Post($"/api/complaints/{complaint["id"]}/verify", new { note = "乱收费属实" })).Expect(HttpStatusCode.OK);
            var penalty = Assert.Single(await CasesOf(complaint))!;
            Assert.Equal(("PEN-77", 200m, "confirmed"), (penalty["ruleId"]!.GetValue<string>(), penalty["amount"]!.GetValue<decimal>(), penalty["state"]!.GetValue<string>()));
            Assert.Equal(revoked, await Revoked(tech.UserId));
        }
    }

    [Fact]
    public async Task A_verified_complaint_with_a_missed_appointment_finding_confirms_PEN16_30_CNY_for_the_orders_technician()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, tech) = await ServicedOrder();
        var complaint = await ComplaintAbout(order);
        Assert.Empty(complaint["penaltyCases"]!.AsArray()); // contacted in time: no PEN-88, only the complaint

        var reply = (await Finding(complaint, "missedAppointmentComplaint", note: "通话记录:约定 14:00,16:30 到达")).Expect(HttpStatusCode.Created).Body;
        var finding = Assert.Single(reply["findings"]!.AsArray())!;
        Assert.Equal(("missedAppointmentComplaint", "PEN-16", 30m, "proposed", tech.UserId), (finding["penaltyKey"]!.GetValue<string>(), finding["ruleId"]!.GetValue<string>(),
            finding["amount"]!.GetValue<decimal>(), finding["state"]!.GetValue<string>(), finding["personUserId"]!.GetValue<int>()));
        Assert.Equal("Missed the agreed appointment time", finding["trigger"]!.GetValue<string>());
        Assert.Equal("通话记录:约定 14:00,16:30 到达", finding["note"]!.GetValue<string>());
        var proposed = Assert.Single(reply["penaltyCases"]!.AsArray())!;
        Assert.Equal(("PEN-16", 30m, "customerComplaint", "proposed", tech.UserId), Summary(proposed));
        Assert.Equal((complaint["id"]!.GetValue<long>(), order), (proposed["complaintId"]!.GetValue<long>(), proposed["workOrderId"]!.GetValue<long>()));
        Assert.Equal(finding["penaltyCaseId"]!.GetValue<long>(), proposed["id"]!.GetValue<long>());
        Assert.Equal(complaint["id"]!.GetValue<long>(), proposed["evidence"]!["complaint"]!["id"]!.GetValue<long>());

        // The technician sees his proposed fine and why, but neither what the customer said nor the handler's note (CPL-15).
        var mine = Assert.Single((await app.Api(tech.User).Get("/api/penalty-cases?mine=true")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;
        var evidence = mine["evidence"]!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.DoesNotContain("地板", evidence);
        Assert.DoesNotContain("16:30 到达", evidence);
        Assert.Equal("missedAppointmentComplaint", mine["evidence"]!["finding"]!["penaltyKey"]!.GetValue<string>());
        // It waits for the complaint (CPL-20), then the existing verification confirms it.
        (await _given.Manager.Post($"/api/penalty-cases/{proposed["id"]}/confirm")).Expect(HttpStatusCode.Conflict);

        var verified = (await Handler.Post($"/api/complaints/{complaint["id"]}/verify", new { note = "属实", version = reply["version"]!.GetValue<int>() })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("confirmed", "complaints"), (Assert.Single(verified["penaltyCases"]!.AsArray())!["state"]!.GetValue<string>(),
            verified["penaltyCases"]![0]!["decidedBy"]!.GetValue<string>()));
        Assert.Equal("confirmed", Assert.Single(verified["findings"]!.AsArray())!["state"]!.GetValue<string>());
        Assert.Equal(30m, Assert.Single((await app.Api(tech.User).Get("/api/penalty-cases?mine=true&state=confirmed")).Body["items"]!.AsArray())!["amount"]!.GetValue<decimal>());
        await Policy("generic");
    }

    [Fact]
    public async Task Rejecting_a_complaint_dismisses_every_case_its_findings_proposed()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, tech) = await ServicedOrder();
        var complaint = await ComplaintAbout(order, type: "staffAttitudeOrNegligence");
        (await Finding(complaint, "untidyOrDrunkComplaint")).Expect(HttpStatusCode.Created);
        var reply = (await Finding(complaint, "unitPushedOnFloorComplaint")).Expect(HttpStatusCode.Created).Body;
        Assert.Equal([("PEN-17", 50m), ("PEN-20", 30m)],
            reply["findings"]!.AsArray().Select(f => (f!["ruleId"]!.GetValue<string>(), f["amount"]!.GetValue<decimal>())).ToList());

        (await Handler.Post($"/api/complaints/{complaint["id"]}/reject", new { reason = "监控显示师傅着装整齐,空调是抬进门的" })).Expect(HttpStatusCode.OK);
        var cases = await CasesOf(complaint);
        Assert.Equal(2, cases.Count);
        Assert.All(cases, c =>
        {
            Assert.Equal(("dismissed", tech.UserId), (c!["state"]!.GetValue<string>(), c["personUserId"]!.GetValue<int>()));
            Assert.Contains("监控显示", c["decisionNote"]!.GetValue<string>());
        });
        await Policy("generic");
    }

    [Fact]
    public async Task The_same_finding_twice_gives_one_case_whether_repeated_retried_or_sent_at_once()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, _) = await ServicedOrder();
        var complaint = await ComplaintAbout(order);
        var key = Guid.NewGuid().ToString();
        var first = (await Handler.Post($"/api/complaints/{complaint["id"]}/findings", new { penaltyKey = "missedAppointmentComplaint" }, idempotencyKey: key)).Expect(HttpStatusCode.Created);
        var retried = (await Handler.Post($"/api/complaints/{complaint["id"]}/findings", new { penaltyKey = "missedAppointmentComplaint" }, idempotencyKey: key)).Expect(HttpStatusCode.Created);
        Assert.Equal(first.Body["version"]!.GetValue<int>(), retried.Body["version"]!.GetValue<int>());
        var again = (await Finding(complaint, "missedAppointmentComplaint")).Expect(HttpStatusCode.OK).Body;
        Assert.Single(again["findings"]!.AsArray());

        // Another rule at once from several desks: exactly one of them records it, the others find it.
        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Finding(complaint, "productNotExplainedComplaint")));
        Assert.All(replies, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        var cases = await CasesOf(complaint);
        Assert.Equal(["PEN-16", "PEN-28"], cases.Select(c => c!["ruleId"]!.GetValue<string>()).Order().ToList());
        await Policy("generic");
    }

    [Fact]
    public async Task An_unknown_key_or_a_fine_that_needs_no_complaint_is_400_naming_penaltyKey_and_saves_nothing()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, _) = await ServicedOrder();
        var complaint = await ComplaintAbout(order);
        foreach (var (key, says) in new[]
                 {
                     ("noSuchFine", "不是第"),
                     ("uniformBadgeMissingOrShabby", "而非客户投诉"),           // PEN-04: fined without any complaint
                     ("noContactWithin4h", "超过 4 小时未联系"),                 // PEN-88 comes from the contact clock
                     ("badPositionNotWarnedInstaller", "适用于安装工"),          // PEN-65: an installer's rule, and this is a repair
                 })
        {
            var reply = (await Finding(complaint, key)).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["penaltyKey"], reply.ErrorFields);
            Assert.Contains(says, reply.Body["errors"]!["penaltyKey"]![0]!.GetValue<string>());
        }
        (await Handler.Post($"/api/complaints/{complaint["id"]}/findings", new { })).Expect(HttpStatusCode.BadRequest);
        Assert.Empty(await CasesOf(complaint));
        Assert.Empty((await Handler.Get($"/api/complaints/{complaint["id"]}")).Body["findings"]!.AsArray());
        await Policy("generic");
    }

    [Fact]
    public async Task A_person_who_is_not_staff_of_the_branch_or_not_a_technician_is_400_naming_personUserId()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, _) = await ServicedOrder();
        var complaint = await ComplaintAbout(order);
        var (_, stranger) = await UserOfAnotherBranch("technician");
        var clerk = (await _given.Manager.Get("/api/users?pageSize=200")).Body["items"]!.AsArray().Single(u => u!["username"]!.GetValue<string>() == "clerk")!["id"]!.GetValue<int>();
        foreach (var person in new[] { stranger, clerk, 999_999 })
            Assert.Equal(["personUserId"], (await Finding(complaint, "missedAppointmentComplaint", person)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Empty(await CasesOf(complaint));
        await Policy("generic");
    }

    [Fact]
    public async Task A_finding_on_a_rejected_or_verified_complaint_is_409_and_a_stale_version_is_refused()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, _) = await ServicedOrder();
        var rejected = await ComplaintAbout(order);
        (await Finding(rejected, "missedAppointmentComplaint", note: "x")).Expect(HttpStatusCode.Created);
        var stale = rejected["version"]!.GetValue<int>();
        (await Handler.Post($"/api/complaints/{rejected["id"]}/findings", new { penaltyKey = "siteNotCleanedComplaint", version = stale })).Expect(HttpStatusCode.Conflict);
        (await Handler.Post($"/api/complaints/{rejected["id"]}/findings", new { penaltyKey = "siteNotCleanedComplaint" }, ifMatch: $"\"{stale}\"")).Expect(HttpStatusCode.PreconditionFailed);
        (await Handler.Post($"/api/complaints/{rejected["id"]}/reject", new { reason = "不属实" })).Expect(HttpStatusCode.OK);
        var refused = (await Finding(rejected, "siteNotCleanedComplaint")).Expect(HttpStatusCode.Conflict);
        Assert.Contains("不属实", refused.Body["detail"]!.GetValue<string>());

        var verified = await ComplaintAbout(order, type: "staffAttitudeOrNegligence"); // another type: not a repeat (CPL-12), so still the desk's
        (await Handler.Post($"/api/complaints/{verified["id"]}/verify", new { note = "属实" })).Expect(HttpStatusCode.OK);
        (await Finding(verified, "siteNotCleanedComplaint")).Expect(HttpStatusCode.Conflict);
        Assert.Single(await CasesOf(rejected));
        Assert.Empty(await CasesOf(verified));
        await Policy("generic");
    }

    [Fact]
    public async Task For_an_installer_the_policy_applies_its_installer_rule_PEN64_instead_of_PEN22()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, tech) = await ServicedOrder("install");
        var complaint = await ComplaintAbout(order, type: "staffAttitudeOrNegligence");
        var reply = (await Finding(complaint, "installPositionWithoutConsentComplaint")).Expect(HttpStatusCode.Created).Body;
        var proposed = Assert.Single(reply["penaltyCases"]!.AsArray())!;
        Assert.Equal(("PEN-64", 50m, "customerComplaint", "proposed", tech.UserId), Summary(proposed));
        Assert.Equal("installPositionWithoutConsentComplaint", proposed["evidence"]!["finding"]!["requestedKey"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task The_finding_rules_of_a_complaint_are_the_complaint_fines_of_its_orders_policy_version()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, tech) = await ServicedOrder();
        var complaint = await ComplaintAbout(order);
        var rules = (await Handler.Get($"/api/complaints/{complaint["id"]}/finding-rules")).Expect(HttpStatusCode.OK).Body.AsArray();
        var byId = rules.ToDictionary(r => r!["ruleId"]!.GetValue<string>(), r => r!);
        Assert.Equal((30m, tech.UserId), (byId["PEN-16"]["amount"]!.GetValue<decimal>(), byId["PEN-16"]["defaultPersonUserId"]!.GetValue<int>()));
        Assert.Equal((30m, "customerComplaint+verified"), (byId["PEN-15"]["amount"]!.GetValue<decimal>(), byId["PEN-15"]["condition"]!.GetValue<string>()));
        Assert.Equal(30m, byId["PEN-20"]["amount"]!.GetValue<decimal>());
        Assert.Equal(200m, byId["PEN-26"]["amount"]!.GetValue<decimal>());
        // Each fine is named for a person in Chinese beside the policy's own (English) wording (h5 F20).
        Assert.All(rules, r => Assert.DoesNotMatch("[A-Za-z]{3,}", r!["name"]!.GetValue<string>()));
        // Not complaint findings, or (PEN-94, the supervisor's fine) not in Gree's regulation at all.
        foreach (var notAFinding in new[] { "PEN-04", "PEN-13", "PEN-88", "PEN-92", "PEN-64", "PEN-65", "PEN-72", "PEN-94" }) Assert.DoesNotContain(notAFinding, byId.Keys);
        (await app.Api(tech.User).Get($"/api/complaints/{complaint["id"]}/finding-rules")).Expect(HttpStatusCode.Forbidden);
        await Policy("generic");
    }

    [Fact]
    public async Task SC30_a_complaint_naming_the_after_sales_supervisor_proposes_PEN94_10_CNY_against_him_and_verification_confirms_it()
    {
        await Policy("subor-zhongshan");
        var supervisor = await NewSupervisor();
        var complaint = await Complaint(new { type = "staffAttitudeOrNegligence", channel = "hotline", phone = Given.Phone(), customerName = "李女士", personUserId = supervisor.UserId, description = "售后主管接电话态度很差" });
        var proposed = Assert.Single(complaint["penaltyCases"]!.AsArray())!;
        Assert.Equal(("PEN-94", 10m, "customerComplaint", "proposed", supervisor.UserId), Summary(proposed));
        Assert.Equal("supervisorComplaint", Assert.Single(complaint["findings"]!.AsArray())!["penaltyKey"]!.GetValue<string>());
        // Recording the same finding by hand adds nothing; naming a technician for the supervisor's rule is refused.
        (await Finding(complaint, "supervisorComplaint", supervisor.UserId)).Expect(HttpStatusCode.OK);
        (await Finding(complaint, "supervisorComplaint")).Expect(HttpStatusCode.OK);
        var tech = await _given.NewTechnician();
        Assert.Equal(["personUserId"], (await Finding(complaint, "supervisorComplaint", tech.UserId)).Expect(HttpStatusCode.BadRequest).ErrorFields);

        var verified = (await Handler.Post($"/api/complaints/{complaint["id"]}/verify", new { note = "录音核实" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("PEN-94", 10m, "customerComplaint", "confirmed", supervisor.UserId), Summary(Assert.Single(verified["penaltyCases"]!.AsArray())!));
        Assert.Equal("confirmed", Assert.Single((await app.Api(supervisor.User).Get("/api/penalty-cases?mine=true")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!["state"]!.GetValue<string>());
        await Policy("generic");
    }

    [Fact]
    public async Task The_after_sales_supervisor_verifies_a_complaint_which_confirms_its_fine_but_one_about_himself_is_someone_elses_to_decide()
    {
        await Policy("subor-zhongshan");
        var named = await NewSupervisor();
        var other = await NewSupervisor();
        var complaint = await Complaint(new { type = "staffAttitudeOrNegligence", channel = "hotline", phone = Given.Phone(), customerName = "李女士", personUserId = named.UserId, description = "售后主管接电话态度很差" });
        var proposed = Assert.Single(complaint["penaltyCases"]!.AsArray())!;
        // The supervisor it names may neither verify the complaint nor decide his own fine, and nothing changes.
        (await app.Api(named.User).Post($"/api/complaints/{complaint["id"]}/verify", new { note = "不属实" })).Expect(HttpStatusCode.Forbidden);
        (await app.Api(named.User).Post($"/api/complaints/{complaint["id"]}/reject", new { reason = "不属实" })).Expect(HttpStatusCode.Forbidden);
        (await app.Api(named.User).Post($"/api/penalty-cases/{proposed["id"]}/dismiss", new { reason = "不属实" })).Expect(HttpStatusCode.Forbidden);
        Assert.Equal("proposed", Assert.Single(await CasesOf(complaint))!["state"]!.GetValue<string>());
        var page = await (await ConsoleSession.SignIn(app, named.User)).Get("/complaints");
        Assert.DoesNotContain($"name=\"id\" value=\"{complaint["id"]}\"", page);

        // Another supervisor verifies it (scenarios.md: the case "is confirmed when the supervisor verifies it").
        Assert.Contains($"name=\"id\" value=\"{complaint["id"]}\"", await (await ConsoleSession.SignIn(app, other.User)).Get("/complaints"));
        var verified = (await app.Api(other.User).Post($"/api/complaints/{complaint["id"]}/verify", new { note = "录音核实" })).Expect(HttpStatusCode.OK).Body;
        var confirmed = Assert.Single(verified["penaltyCases"]!.AsArray())!;
        Assert.Equal(("confirmed", other.User), (confirmed["state"]!.GetValue<string>(), confirmed["decidedBy"]!.GetValue<string>()));
        await Policy("generic");
    }

    [Fact]
    public async Task A_complaint_about_an_order_that_turns_out_to_be_the_supervisors_fault_records_PEN94_by_finding()
    {
        await Policy("subor-zhongshan");
        var supervisor = await NewSupervisor();
        var (order, tech) = await ServicedOrder();
        var complaint = await ComplaintAbout(order, type: "staffAttitudeOrNegligence");
        Assert.Empty(complaint["penaltyCases"]!.AsArray()); // about the technician by default: nothing proposed yet
        Assert.Equal(["personUserId"], (await Finding(complaint, "supervisorComplaint")).Expect(HttpStatusCode.BadRequest).ErrorFields); // no supervisor named
        var reply = (await Finding(complaint, "supervisorComplaint", supervisor.UserId, "主管拒绝改约")).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(("PEN-94", 10m, "customerComplaint", "proposed", supervisor.UserId), Summary(Assert.Single(reply["penaltyCases"]!.AsArray())!));
        Assert.NotEqual(tech.UserId, supervisor.UserId);
        await Policy("generic");
    }

    [Fact]
    public async Task Under_Gree_whose_regulation_has_no_PEN94_a_complaint_about_the_supervisor_proposes_nothing_and_the_finding_is_refused()
    {
        // PEN-94 is Subor's rule; Gree's regulation has no fine for the supervisor, and presets no longer inherit
        // another company's fines from generic (regulations.md A12).
        await Policy("gree-dealer-changsha-2012");
        var supervisor = await NewSupervisor();
        var complaint = await Complaint(new { type = "staffAttitudeOrNegligence", channel = "hotline", phone = Given.Phone(), personUserId = supervisor.UserId, description = "主管态度差" });
        Assert.Empty(complaint["penaltyCases"]!.AsArray());
        Assert.Empty(complaint["findings"]!.AsArray());
        var refused = (await Finding(complaint, "supervisorComplaint", supervisor.UserId)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["penaltyKey"], refused.ErrorFields);
        (await Handler.Post($"/api/complaints/{complaint["id"]}/verify", new { note = "属实" })).Expect(HttpStatusCode.OK);
        Assert.Empty(await CasesOf(complaint));
        await Policy("generic");
    }

    [Fact]
    public async Task A_technician_cannot_record_findings_and_another_branchs_complaint_is_404()
    {
        await Policy("gree-dealer-changsha-2012");
        var (order, tech) = await ServicedOrder();
        var complaint = await ComplaintAbout(order);
        (await Finding(complaint, "missedAppointmentComplaint", user: tech.User)).Expect(HttpStatusCode.Forbidden);
        (await Finding(complaint, "missedAppointmentComplaint", user: "dispatcher")).Expect(HttpStatusCode.Forbidden);

        var (desk, _) = await UserOfAnotherBranch("complaintHandler");
        (await Finding(complaint, "missedAppointmentComplaint", user: desk)).Expect(HttpStatusCode.NotFound);
        (await app.Api(desk).Get($"/api/complaints/{complaint["id"]}/finding-rules")).Expect(HttpStatusCode.NotFound);
        Assert.Empty(await CasesOf(complaint));
        await Policy("generic");
    }
}
