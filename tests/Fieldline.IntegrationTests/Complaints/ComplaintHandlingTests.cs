using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Complaints;

[Collection(SqliteCollection.Name)] public sealed class ComplaintHandlingTestsOnSqlite(SqliteFixture app) : ComplaintHandlingTests(app);
[Collection(PostgresCollection.Name)] public sealed class ComplaintHandlingTestsOnPostgres(PostgresFixture app) : ComplaintHandlingTests(app);

/// <summary>Intake, routing, escalation, the 24-hour resolve clock, who may see and handle a complaint, and its lifecycle.</summary>
public abstract class ComplaintHandlingTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Handler => app.Api("complaints");

    private static object Body(string type = "packagingDamage", string? phone = null, object? extra = null)
    {
        var body = new JsonObject
        {
            ["type"] = type, ["channel"] = "hotline", ["phone"] = phone ?? Given.Phone(), ["customerName"] = "投诉客户", ["description"] = $"外包装破损 {Guid.NewGuid():N}",
        };
        if (extra is not null)
            foreach (var (k, v) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra, System.Text.Json.JsonSerializerOptions.Web))!.AsObject())
                body[k] = v?.DeepClone();
        return body;
    }

    private async Task<JsonNode> Register(object body, string user = "complaints") =>
        (await app.Api(user).Post("/api/complaints", body)).Expect(HttpStatusCode.Created).Body;

    private async Task<JsonArray> Inbox(string user) => (await app.Api(user).Get("/api/notifications?pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    private static DateTimeOffset T(JsonNode node) => node.GetValue<DateTimeOffset>();

    [Theory]
    [InlineData("productQualityOrFunction", "rdDesignOrManufacturer")]
    [InlineData("packagingDamage", "warehousingLogistics")]
    [InlineData("staffAttitudeOrNegligence", "marketingDepartment")]
    [InlineData("lateContact", "marketingDepartment")]
    [InlineData("other", null)]
    public async Task A_complaint_is_routed_to_the_department_the_policy_names_for_its_type_and_handled_by_the_front_desk(string type, string? department)
    {
        var complaint = await Register(Body(type));
        Assert.Equal(department, complaint["routedTo"]?.GetValue<string>());
        Assert.Equal("complaintHandler", complaint["ownerRole"]!.GetValue<string>());
        Assert.False(complaint["escalated"]!.GetValue<bool>());
        Assert.Equal(("open", "company"), (complaint["status"]!.GetValue<string>(), complaint["level"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("major", "CPL-14")]
    [InlineData("angryCustomer", "CPL-21")]
    public async Task A_major_complaint_or_an_angry_customer_goes_to_the_manager_who_alone_may_handle_it(string flag, string rule)
    {
        var complaint = await Register(Body("staffAttitudeOrNegligence", extra: new Dictionary<string, bool> { [flag] = true }));
        Assert.Equal("manager", complaint["ownerRole"]!.GetValue<string>());
        Assert.Contains(rule, complaint["escalationReason"]!.GetValue<string>());
        await app.Tick();
        Assert.Contains(await Inbox("manager"), n => n!["kind"]!.GetValue<string>() == "complaintEscalated" && n["body"]!.GetValue<string>().Contains(complaint["description"]!.GetValue<string>()));
        (await Handler.Post($"/api/complaints/{complaint["id"]}/verify")).Expect(HttpStatusCode.Forbidden);
        (await _given.Manager.Post($"/api/complaints/{complaint["id"]}/verify", new { note = "经理亲自核实" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_same_customer_complaining_again_about_the_same_problem_escalates_to_the_manager()
    {
        var phone = Given.Phone();
        var first = await Register(Body("packagingDamage", phone));
        Assert.Equal(("complaintHandler", 1), (first["ownerRole"]!.GetValue<string>(), first["repeatCount"]!.GetValue<int>()));
        var otherProblem = await Register(Body("productQualityOrFunction", phone));
        Assert.False(otherProblem["escalated"]!.GetValue<bool>());

        var again = await Register(Body("packagingDamage", phone));
        Assert.Equal(("manager", 2, true), (again["ownerRole"]!.GetValue<string>(), again["repeatCount"]!.GetValue<int>(), again["escalated"]!.GetValue<bool>()));
        Assert.Contains("CPL-12", again["escalationReason"]!.GetValue<string>());
        Assert.Contains("repeat", again["escalationReasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        await app.Tick();
        Assert.Contains(await Inbox("manager"), n => n!["kind"]!.GetValue<string>() == "complaintEscalated" && n["body"]!.GetValue<string>().Contains(again["description"]!.GetValue<string>()));
        Assert.Contains(await Inbox("complaints"), n => n!["kind"]!.GetValue<string>() == "complaintRegistered" && n["body"]!.GetValue<string>().Contains(first["description"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unresolved_complaint_breaches_its_resolve_clock_at_24_hours_and_the_manager_hears_of_it()
    {
        var monday = app.Next(DayOfWeek.Monday, 10, 0);
        await app.At(monday);
        var complaint = await Register(Body("productQualityOrFunction"));
        var id = complaint["id"]!.GetValue<long>();
        var clock = Assert.Single(complaint["clocks"]!.AsArray())!;
        Assert.Equal(("resolve", "CPL-16"), (clock["name"]!.GetValue<string>(), clock["ruleId"]!.GetValue<string>()));
        Assert.Equal(monday.AddHours(24), T(clock["dueAt"]!));
        Assert.Equal(monday.AddMinutes(1008), T(clock["warnAt"]!)); // 70 %: the progress-check point

        await app.At(monday.AddHours(24).AddMinutes(-1));
        Assert.Equal(0, (await _given.Manager.Get($"/api/sla/breaches?complaintId={id}")).Body["total"]!.GetValue<int>());
        Assert.Contains(await Inbox("complaints"), n => n!["kind"]!.GetValue<string>() == "complaintWarning" && n["title"]!.GetValue<string>().Contains($"#{id}"));
        await app.At(monday.AddHours(24));
        var breach = Assert.Single((await _given.Manager.Get($"/api/sla/breaches?complaintId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;
        Assert.Equal(("resolve", "CPL-16", "complaintHandler"), (breach["clock"]!.GetValue<string>(), breach["ruleId"]!.GetValue<string>(), breach["responsibleRole"]!.GetValue<string>()));
        Assert.Null(breach["workOrderId"]?.GetValue<long?>());
        Assert.Equal(monday.AddHours(24), T(breach["dueAt"]!));
        Assert.Equal("overdue", (await Handler.Get($"/api/complaints/{id}")).Body["clocks"]![0]!["state"]!.GetValue<string>());
        foreach (var user in new[] { "manager", "complaints" })
            Assert.Contains(await Inbox(user), n => n!["kind"]!.GetValue<string>() == "complaintOverdue" && n["title"]!.GetValue<string>().Contains($"#{id}"));

        await app.At(monday.AddHours(25));
        (await Handler.Post($"/api/complaints/{id}/verify", new { note = "确认外机异响" })).Expect(HttpStatusCode.OK);
        var resolved = (await Handler.Post($"/api/complaints/{id}/resolve", new { outcome = "厂家更换压缩机,已电话告知客户", customerNotified = true })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("resolved", true), (resolved["status"]!.GetValue<string>(), resolved["customerNotified"]!.GetValue<bool>()));
        Assert.Equal("breached", resolved["clocks"]![0]!["state"]!.GetValue<string>());
        breach = (await _given.Manager.Get($"/api/sla/breaches?complaintId={id}")).Body["items"]![0]!;
        Assert.Equal(monday.AddHours(25), T(breach["actualAt"]!));
        Assert.Equal(60, breach["lateMinutes"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_complaint_resolved_within_the_day_meets_its_clock_and_a_departed_customer_has_72_hours()
    {
        var tuesday = app.Next(DayOfWeek.Tuesday, 9, 0);
        await app.At(tuesday);
        var departed = await Register(Body("staffAttitudeOrNegligence", extra: new { customerDeparted = true }));
        var clock = departed["clocks"]![0]!;
        Assert.Equal(("CPL-17", tuesday.AddHours(72)), (clock["ruleId"]!.GetValue<string>(), T(clock["dueAt"]!)));

        var quick = await Register(Body());
        await app.At(tuesday.AddHours(3));
        (await Handler.Post($"/api/complaints/{quick["id"]}/reject", new { reason = "包装完好,签收时未提出" })).Expect(HttpStatusCode.OK);
        var resolved = (await Handler.Post($"/api/complaints/{quick["id"]}/resolve", new { outcome = "已向客户说明", customerNotified = true })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("resolved", "met"), (resolved["status"]!.GetValue<string>(), resolved["clocks"]![0]!["state"]!.GetValue<string>()));
        Assert.Equal("包装完好,签收时未提出", resolved["rejectionReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resolving_needs_the_customer_told_the_outcome_when_the_policy_says_so()
    {
        var complaint = await Register(Body());
        var id = complaint["id"]!.GetValue<long>();
        (await Handler.Post($"/api/complaints/{id}/verify")).Expect(HttpStatusCode.OK);
        var refused = (await Handler.Post($"/api/complaints/{id}/resolve", new { outcome = "已补发包装" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("customerNotified", refused.ErrorFields);
        refused = (await Handler.Post($"/api/complaints/{id}/resolve", new { outcome = "已补发包装", customerNotified = false })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("CPL-08", refused.Body["errors"]!["customerNotified"]![0]!.GetValue<string>());
        Assert.Equal("verified", (await Handler.Get($"/api/complaints/{id}")).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Registering_an_invalid_complaint_answers_400_naming_each_field_and_saves_nothing()
    {
        var phone = Given.Phone();
        var reply = (await Handler.Post("/api/complaints", new { type = "rudeness", level = "province", channel = "pigeon", phone = "12345" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["channel", "description", "level", "phone", "type"], reply.ErrorFields.Order().ToArray());
        // The allowed types by their names for a Chinese reader, by the codes to send for an English one (an API client).
        Assert.Contains("产品质量", reply.Body["errors"]!["type"]![0]!.GetValue<string>());
        var english = (await Handler.InLanguage("en").Post("/api/complaints", new { type = "rudeness" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("productQualityOrFunction", english.Body["errors"]!["type"]![0]!.GetValue<string>());
        reply = (await Handler.Post("/api/complaints", new { type = "other", channel = "hotline", description = "无号码" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["phone"], reply.ErrorFields);
        reply = (await Handler.Post("/api/complaints", new { type = "other", channel = "hotline", description = "x", workOrderId = 987654321, phone })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["workOrderId"], reply.ErrorFields);
        Assert.Equal(0, (await Handler.Get($"/api/complaints?phone={phone}")).Body["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_brand_level_complaint_is_refused_under_a_policy_that_knows_only_company_complaints()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "binchun-water-purifier-2015" })).Expect(HttpStatusCode.OK);
        var reply = (await Handler.Post("/api/complaints", Body(extra: new { level = "brand" }))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["level"], reply.ErrorFields);
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_illegal_transition_answers_409_naming_the_state_and_the_action()
    {
        var id = (await Register(Body()))["id"]!.GetValue<long>();
        var refused = (await Handler.Post($"/api/complaints/{id}/resolve", new { outcome = "x", customerNotified = true })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("投诉当前为「待核实」，不能处理。", refused.Str("detail"));
        var inEnglish = (await Handler.InLanguage("en").Post($"/api/complaints/{id}/resolve", new { outcome = "x", customerNotified = true })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("Cannot resolve a complaint that is Open.", inEnglish.Str("detail"));
        Assert.Equal(("open", "resolve"), (refused.Str("currentStatus"), refused.Str("action")));
        (await Handler.Post($"/api/complaints/{id}/verify")).Expect(HttpStatusCode.OK);
        refused = (await Handler.Post($"/api/complaints/{id}/reject", new { reason = "改主意" })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("verified", refused.Str("currentStatus"));
        var stale = (await Handler.Post($"/api/complaints/{id}/resolve", new { outcome = "x", customerNotified = true, version = 0 })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("版本已过期", stale.Str("title"));
    }

    [Fact]
    public async Task A_retried_registration_with_the_same_idempotency_key_records_the_complaint_once()
    {
        var phone = Given.Phone();
        var key = Guid.NewGuid().ToString();
        var body = Body(phone: phone);
        var first = (await Handler.Post("/api/complaints", body, idempotencyKey: key)).Expect(HttpStatusCode.Created);
        var again = (await Handler.Post("/api/complaints", body, idempotencyKey: key)).Expect(HttpStatusCode.Created);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, (await Handler.Get($"/api/complaints?phone={phone}")).Body["total"]!.GetValue<int>());
        (await Handler.Post("/api/complaints", Body(phone: phone), idempotencyKey: key)).Expect(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_customers_complaints_are_listed_by_customer_phone_and_work_order_for_intake()
    {
        var orderId = await _given.OrderIn("completed");
        var order = (await _given.Manager.Get($"/api/work-orders/{orderId}")).Body;
        var customerId = order["customer"]!["id"]!.GetValue<int>();
        var byOrder = await Register(new { type = "staffAttitudeOrNegligence", channel = "returnVisit", workOrderId = orderId, description = "师傅态度差" }, user: "visitor");
        Assert.Equal((customerId, order["customer"]!["phone"]!.GetValue<string>()), (byOrder["customer"]!["id"]!.GetValue<int>(), byOrder["customer"]!["phone"]!.GetValue<string>()));
        var technicians = (await _given.Manager.Get("/api/technicians?pageSize=200")).Body["items"]!.AsArray();
        Assert.Equal("tech01", technicians.Single(t => t!["userId"]!.GetValue<int>() == byOrder["personUserId"]!.GetValue<int>())!["username"]!.GetValue<string>());
        var byPhone = await Register(new { type = "other", channel = "hotline", phone = order["customer"]!["phone"]!.GetValue<string>(), description = "咨询保修" }, user: "clerk");
        Assert.Equal(customerId, byPhone["customer"]!["id"]!.GetValue<int>());

        var list = (await _given.Clerk.Get($"/api/complaints?customerId={customerId}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal([byPhone["id"]!.GetValue<long>(), byOrder["id"]!.GetValue<long>()], list["items"]!.AsArray().Select(c => c!["id"]!.GetValue<long>()).ToArray());
        Assert.Equal(1, (await _given.Clerk.Get($"/api/complaints?workOrderId={orderId}")).Body["total"]!.GetValue<int>());
        Assert.Equal(1, (await _given.Clerk.Get($"/api/complaints?customerId={customerId}&status=open&type=other")).Body["total"]!.GetValue<int>());
        (await _given.Clerk.Get("/api/complaints?status=closed")).Expect(HttpStatusCode.BadRequest);
        (await _given.Clerk.Get("/api/complaints?pageSize=500")).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_technician_may_not_register_complaints_and_sees_only_verified_ones_about_himself()
    {
        var orderId = await _given.OrderIn("completed", tech: "tech01");
        (await app.Api("tech01").Post("/api/complaints", new { type = "other", channel = "hotline", workOrderId = orderId, description = "x" })).Expect(HttpStatusCode.Forbidden);
        (await app.Api("dispatcher").Post("/api/complaints", new { type = "other", channel = "hotline", workOrderId = orderId, description = "x" })).Expect(HttpStatusCode.Forbidden);
        var complaint = await Register(new { type = "staffAttitudeOrNegligence", channel = "hotline", workOrderId = orderId, description = "师傅抽烟" });
        var id = complaint["id"]!.GetValue<long>();

        (await app.Api("tech01").Get($"/api/complaints/{id}")).Expect(HttpStatusCode.NotFound); // open: handled privately first
        (await app.Api("tech01").Post($"/api/complaints/{id}/verify")).Expect(HttpStatusCode.Forbidden);
        (await Handler.Post($"/api/complaints/{id}/verify", new { note = "客户提供照片" })).Expect(HttpStatusCode.OK);
        Assert.Equal("verified", (await app.Api("tech01").Get($"/api/complaints/{id}")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
        Assert.Contains((await app.Api("tech01").Get("/api/complaints?pageSize=200")).Body["items"]!.AsArray(), c => c!["id"]!.GetValue<long>() == id);
        (await app.Api("tech02").Get($"/api/complaints/{id}")).Expect(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await app.Api("tech02").Get("/api/complaints?pageSize=200")).Body["items"]!.AsArray(), c => c!["id"]!.GetValue<long>() == id);
    }

    [Fact]
    public async Task Another_branch_cannot_see_or_handle_a_complaint_and_head_office_sees_every_branch()
    {
        var headOffice = (await app.Api("admin").Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await app.Api("admin").Post("/api/branches", new { name = $"株洲分公司-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var handler2 = $"zzcp{Guid.NewGuid():N}"[..12];
        (await app.Api("admin").Post("/api/users", new { username = handler2, displayName = "株洲投诉专员", password = AppFixture.Password, roles = new[] { "complaintHandler" }, branchId = branch })).Expect(HttpStatusCode.Created);
        var other = app.Api(handler2);

        var changsha = await Register(Body());
        var id = changsha["id"]!.GetValue<long>();
        (await other.Get($"/api/complaints/{id}")).Expect(HttpStatusCode.NotFound);
        (await other.Post($"/api/complaints/{id}/verify")).Expect(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await other.Get("/api/complaints?pageSize=200")).Body["items"]!.AsArray(), c => c!["id"]!.GetValue<long>() == id);
        var own = await Register(Body(), user: handler2);
        Assert.Equal((int)branch, own["branchId"]!.GetValue<int>());
        (await Handler.Get($"/api/complaints/{own["id"]}")).Expect(HttpStatusCode.NotFound);

        var all = (await _given.Manager.Get("/api/complaints?pageSize=200")).Body["items"]!.AsArray().Select(c => c!["id"]!.GetValue<long>()).ToList();
        Assert.Contains(id, all);
        Assert.Contains(own["id"]!.GetValue<long>(), all);
    }

    [Fact]
    public async Task Verifying_that_staff_conduct_harmed_the_company_image_opens_a_probation_or_dismissal_review()
    {
        var orderId = await _given.OrderIn("completed", tech: "tech03");
        var complaint = await Register(new { type = "staffAttitudeOrNegligence", channel = "hotline", workOrderId = orderId, description = "师傅辱骂客户,在小区散布公司坏话" });
        var plain = await Register(Body());
        (await Handler.Post($"/api/complaints/{plain["id"]}/verify", new { harmedCompanyImage = true })).Expect(HttpStatusCode.BadRequest);
        (await Handler.Post($"/api/complaints/{complaint["id"]}/verify", new { harmedCompanyImage = true, note = "多名邻居证实" })).Expect(HttpStatusCode.OK);
        var review = (await _given.Manager.Get("/api/dismissal-reviews?state=open")).Body.AsArray()
            .Single(r => r!["evidence"]!["complaintId"]?.GetValue<long>() == complaint["id"]!.GetValue<long>())!;
        Assert.Equal(complaint["personUserId"]!.GetValue<int>(), review["personUserId"]!.GetValue<int>());
        Assert.Contains("PEN-92", review["ruleIds"]!.GetValue<string>());
        Assert.Contains("DSM-17", review["ruleIds"]!.GetValue<string>()); // DSM-17: a verified attitude complaint, probation or dismissal
        Assert.StartsWith("DSM-17 态度投诉经查实", review["reason"]!.GetValue<string>());
    }
}
