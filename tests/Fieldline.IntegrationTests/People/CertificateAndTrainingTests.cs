using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class CertificateAndTrainingTestsOnSqlite(SqliteFixture app) : CertificateAndTrainingTests(app);
[Collection(PostgresCollection.Name)] public sealed class CertificateAndTrainingTestsOnPostgres(PostgresFixture app) : CertificateAndTrainingTests(app);

/// <summary>
/// Certificates in the HR record and the jobs that need them (SAF-08, SAF-14, TRN-06, SC-17): a job declared at intake is
/// dispatched only to a holder whose certificate is valid on its days. Trainings and their attendance lists: an absence
/// proposes the policy's fine (TRN-05, SC-35).
/// </summary>
public abstract class CertificateAndTrainingTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static IEnumerable<string> Codes(JsonNode reasons) => reasons.AsArray().Select(r => r!["code"]!.GetValue<string>());

    private async Task<long> OrderNeeding(string type, params string[] jobs)
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        return (await _given.Clerk.Post("/api/work-orders", new { type, channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "需改电源", jobs }))
            .Expect(HttpStatusCode.Created).Id;
    }

    private Task<Reply> Certify(int tech, string kind, DateOnly from, DateOnly to) =>
        app.Api("supervisor").Post("/api/certificates", new { technicianId = tech, kind, number = $"C{Guid.NewGuid():N}"[..10], validFrom = D(from), validTo = D(to) });

    [Fact]
    public async Task SC17_a_power_supply_change_goes_only_to_a_technician_with_a_valid_electrician_certificate()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var order = await OrderNeeding("repair", "powerSupplyModification");
        Assert.Equal(["powerSupplyModification"], (await _given.Dispatcher.Get($"/api/work-orders/{order}")).Expect(HttpStatusCode.OK).Body["jobs"]!.AsArray().Select(j => j!.GetValue<string>()));

        var none = (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Equal(["certificateMissing"], Codes(none["reasons"]!));
        Assert.Contains("电工证", none["detail"]!.GetValue<string>());
        var english = (await _given.Dispatcher.InLanguage("en").Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Contains("Electrician", english["detail"]!.GetValue<string>());
        // The person may still do other work: the certificate is this job's.
        Assert.True((await _given.Dispatcher.Get($"/api/technicians/{tech}/eligibility?date={D(Today)}")).Expect(HttpStatusCode.OK).Body["eligible"]!.GetValue<bool>());

        (await Certify(tech, "electrician", Today.AddYears(-3), Today.AddDays(-1))).Expect(HttpStatusCode.Created);
        var expired = (await _given.Dispatcher.Get($"/api/technicians/{tech}/eligibility?date={D(Today)}&workOrderId={order}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(["certificateExpired"], Codes(expired["reasons"]!));

        var valid = (await Certify(tech, "electrician", Today.AddDays(-1), Today.AddYears(3))).Expect(HttpStatusCode.Created).Body;
        Assert.True(valid["validToday"]!.GetValue<bool>());
        Assert.Equal("电工证", valid["kindName"]!.GetValue<string>());
        (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_plan_never_proposes_an_order_needing_an_electrician_certificate_to_a_technician_without_one_and_says_why_in_Chinese()
    {
        var day = Today.AddDays(1);
        var holder = await _given.NewTechnician();
        var without = await _given.NewTechnician();
        (await Certify(holder.TechnicianId, "electrician", Today.AddYears(-1), Today.AddYears(2))).Expect(HttpStatusCode.Created);
        var customer = (await _given.Clerk.Post("/api/customers", new { name = "改电源客户", phone = Given.Phone(), address = "长沙市", location = new { lat = 28.2, lng = 112.95 } }))
            .Expect(HttpStatusCode.Created).Id;
        var serial = await _given.Product(customer);
        var start = new DateTimeOffset(day.Year, day.Month, day.Day, 10, 0, 0, TimeSpan.FromHours(8));
        var order = (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "需改电源",
            requestedWindow = new { start, end = start.AddHours(2) }, jobs = new[] { "powerSupplyModification" },
        })).Expect(HttpStatusCode.Created).Id;

        var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = D(day), seconds = 0.3 })).Expect(HttpStatusCode.OK).Body;
        var excluded = plan["excluded"]!.AsArray().Where(x => x!["workOrderId"]!.GetValue<long>() == order).ToList();
        var barred = excluded.Single(x => x!["technicianId"]!.GetValue<int>() == without.TechnicianId)!;
        Assert.Equal(["certificateMissing"], Codes(barred["reasons"]!));
        Assert.Contains("电工证", barred["text"]!.GetValue<string>());
        Assert.DoesNotContain(excluded, x => x!["technicianId"]!.GetValue<int>() == holder.TechnicianId);
        // Whoever the plan proposes holds a valid certificate: never one of the excluded.
        var proposed = plan["routes"]!.AsArray().Where(r => r!["stops"]!.AsArray().Any(s => s!["workOrderId"]!.GetValue<long>() == order))
            .Select(r => r!["technicianId"]!.GetValue<int>()).ToList();
        Assert.Single(proposed);
        Assert.DoesNotContain(proposed[0], excluded.Select(x => x!["technicianId"]!.GetValue<int>()));

        // The same plan in English names the certificate in English.
        var english = (await _given.Dispatcher.InLanguage("en").Post("/api/dispatch/plan", new { date = D(day), seconds = 0.2 })).Expect(HttpStatusCode.OK).Body;
        Assert.Contains("lectrician", english["excluded"]!.AsArray().First(x => x!["workOrderId"]!.GetValue<long>() == order)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_clerk_ticks_the_jobs_that_need_a_certificate_on_the_intake_page_in_Chinese_and_the_order_carries_them()
    {
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        var form = await clerk.Get("/intake");
        Assert.Contains("需持证作业", form);
        Assert.Contains("电源改造", form);
        Assert.Contains("高处作业", form);
        Assert.Contains("id=\"job-welding\"", form);
        var phone = Given.Phone();
        var landed = await clerk.Post("/intake", [
            new("Phone", phone), new("NewName", "改线客户"), new("NewAddress", "长沙市芙蓉区五一大道 1 号"), new("Type", "install"), new("Channel", "hotline"),
            new("ProductLine", "ac"), new("ProductModel", "KFR-35GW"), new("PurchaseDate", D(Today)), new("FaultDescription", "新装空调需改电源、高处安装"),
            new("Jobs", "powerSupplyModification"), new("Jobs", "workAtHeight")]);
        Assert.True(landed.Contains("created-link", StringComparison.Ordinal),
            string.Join(" | ", System.Text.RegularExpressions.Regex.Matches(landed, "class=\"(?:field-error|flash bad)\"[^>]*>([^<]*)<").Select(m => m.Groups[1].Value)));
        var found = (await _given.Clerk.Get($"/api/work-orders?q={phone}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray().Single()!;
        var order = (await _given.Clerk.Get($"/api/work-orders/{found["id"]!.GetValue<long>()}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(["powerSupplyModification", "workAtHeight"], order["jobs"]!.AsArray().Select(j => j!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Height_work_needs_a_work_at_height_certificate_and_an_unknown_job_is_refused_at_intake()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var install = await OrderNeeding("install", "workAtHeight");
        (await Certify(tech, "electrician", Today, Today.AddYears(1))).Expect(HttpStatusCode.Created);
        var refused = (await _given.Dispatcher.Post($"/api/work-orders/{install}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Equal(["certificateMissing"], Codes(refused["reasons"]!));
        Assert.Contains("高处作业", refused["detail"]!.GetValue<string>());
        (await Certify(tech, "workAtHeight", Today, Today.AddYears(1))).Expect(HttpStatusCode.Created);
        (await _given.Dispatcher.Post($"/api/work-orders/{install}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK);

        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var bad = (await _given.Clerk.Post("/api/work-orders", new { type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "x", jobs = new[] { "juggling" } }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["jobs"], bad.ErrorFields);
    }

    [Fact]
    public async Task Only_HR_records_certificates_every_field_is_named_and_a_technician_reads_only_their_own()
    {
        var (user, tech, _) = await _given.NewTechnician();
        (await app.Api(user).Post("/api/certificates", new { technicianId = tech, kind = "electrician", number = "X1", validFrom = D(Today), validTo = D(Today) })).Expect(HttpStatusCode.Forbidden);
        (await _given.Dispatcher.Post("/api/certificates", new { technicianId = tech, kind = "electrician", number = "X1", validFrom = D(Today), validTo = D(Today) })).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(["kind", "number", "technicianId", "validFrom", "validTo"],
            (await app.Api("supervisor").Post("/api/certificates", new { })).Expect(HttpStatusCode.BadRequest).ErrorFields.Order());
        Assert.Equal(["kind"], (await app.Api("supervisor").Post("/api/certificates", new { technicianId = tech, kind = "pilot", number = "X1", validFrom = D(Today), validTo = D(Today) }))
            .Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["validTo"], (await app.Api("supervisor").Post("/api/certificates", new { technicianId = tech, kind = "welding", number = "X1", validFrom = D(Today), validTo = D(Today.AddDays(-1)) }))
            .Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await Certify(tech, "welding", Today, Today.AddYears(2))).Expect(HttpStatusCode.Created);
        Assert.Single((await app.Api(user).Get("/api/certificates")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());
        Assert.Empty((await app.Api("tech02").Get($"/api/certificates?technicianId={tech}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());
    }

    [Fact]
    public async Task SC35_missing_a_manufacturer_training_proposes_50_and_an_attendance_list_is_recorded_once()
    {
        await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" });
        try
        {
            var came = await _given.NewTechnician();
            var missed = await _given.NewTechnician();
            var training = (await app.Api("supervisor").Post("/api/trainings", new { title = "格力厂家培训", kind = "manufacturer", day = D(Today) })).Expect(HttpStatusCode.Created).Body;
            Assert.Equal("厂家培训", training["kindName"]!.GetValue<string>());
            var id = training["id"]!.GetValue<long>();
            var list = (await app.Api("supervisor").Post($"/api/trainings/{id}/attendance", new { present = new[] { came.TechnicianId }, absent = new[] { missed.TechnicianId } }))
                .Expect(HttpStatusCode.OK).Body["attendance"]!.AsArray();
            var absent = list.Single(a => a!["technicianId"]!.GetValue<int>() == missed.TechnicianId)!;
            Assert.False(absent["present"]!.GetValue<bool>());
            Assert.Equal(50m, absent["fineAmount"]!.GetValue<decimal>());
            Assert.Null(list.Single(a => a!["technicianId"]!.GetValue<int>() == came.TechnicianId)!["penaltyCaseId"]);
            var fine = (await _given.Manager.Get($"/api/penalty-cases?personUserId={missed.UserId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            Assert.Contains(fine, c => c!["amount"]!.GetValue<decimal>() == 50m && c["ruleIds"]!.ToJsonString().Contains("TRN-05", StringComparison.Ordinal));

            (await app.Api("supervisor").Post($"/api/trainings/{id}/attendance", new { present = new[] { missed.TechnicianId } })).Expect(HttpStatusCode.Conflict);
            var later = (await app.Api("supervisor").Post("/api/trainings", new { title = "安全培训", kind = "company", day = D(Today.AddDays(5)) })).Expect(HttpStatusCode.Created).Id;
            (await app.Api("supervisor").Post($"/api/trainings/{later}/attendance", new { present = new[] { came.TechnicianId } })).Expect(HttpStatusCode.Conflict);
            (await app.Api(came.User).Post("/api/trainings", new { title = "x", kind = "company", day = D(Today) })).Expect(HttpStatusCode.Forbidden);
            Assert.Equal(["day", "kind", "title"], (await app.Api("supervisor").Post("/api/trainings", new { })).Expect(HttpStatusCode.BadRequest).ErrorFields.Order());
        }
        finally { await _given.Manager.Put("/api/policy", new { basedOn = "generic" }); }
    }

    [Fact]
    public async Task The_supervisor_records_a_certificate_and_a_trainings_attendance_on_the_people_desk()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var console = await ConsoleSession.SignIn(app, "supervisor");
        Assert.Contains("证书与培训", await console.Get("/people/training"));
        var page = await console.Post("/people/training?handler=Certificate", [
            new("technicianId", tech.ToString(CultureInfo.InvariantCulture)), new("kind", "workAtHeight"), new("number", "GK-2026-17"),
            new("validFrom", D(Today)), new("validTo", D(Today.AddYears(1)))]);
        Assert.Contains("GK-2026-17", page);
        Assert.Contains("高处作业证", page);
    }
}
