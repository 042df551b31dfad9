using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Infrastructure;

/// <summary>Builds the data a test needs through the API, as the users themselves would.</summary>
public sealed class Given(AppFixture app)
{
    // A random start, then one after another: random numbers alone collided (a birthday problem over the thousands of
    // customers a run registers, answered 409 "customer exists"); the random start keeps two runs on one database apart.
    private static readonly int PhoneStart = Random.Shared.Next(10_000_000, 80_000_000);
    private static int _phone;

    public Api Clerk => app.Api("clerk");
    public Api Dispatcher => app.Api("dispatcher");
    public Api Manager => app.Api("manager");

    /// <summary>A fresh, unique mainland mobile number.</summary>
    public static string Phone() => $"137{PhoneStart + Interlocked.Increment(ref _phone):00000000}";

    public async Task<long> Customer(string? phone = null)
    {
        var reply = await Clerk.Post("/api/customers", new { name = "测试客户", phone = phone ?? Phone(), address = "长沙市岳麓区麓山南路1号", location = new { lat = 28.18, lng = 112.94 } });
        return reply.Expect(HttpStatusCode.Created).Id;
    }

    public async Task<string> Product(long customerId, string line = "ac", int warrantyMonths = 72, DateOnly? purchased = null)
    {
        var serial = $"SN{Guid.NewGuid():N}"[..20];
        (await Clerk.Post($"/api/customers/{customerId}/products", new
        {
            productLine = line, brand = "格力", model = "KFR-35GW", serialNumber = serial, invoiceNumber = "INV-1",
            purchaseDate = (purchased ?? Bought()).ToString("yyyy-MM-dd"), warrantyMonths,
            warrantyExclusions = line == "purifier" ? new[] { "filter" } : [],
        })).Expect(HttpStatusCode.Created);
        return serial;
    }

    /// <summary>Half a year before the shared clock's today: in warranty however far earlier tests moved the clock.</summary>
    private DateOnly Bought() => DateOnly.FromDateTime(app.LocalNow.Date).AddMonths(-6);

    public static object RepairBody(long customerId, string serial, string fault = "不制冷") => new
    {
        type = "repair", channel = "hotline", customerId, productSerial = serial, faultDescription = fault, priority = "normal",
        requestedWindow = new { start = "2026-11-26T14:00:00+08:00", end = "2026-11-26T18:00:00+08:00" },
    };

    /// <summary>A repair of an AC in its warranty (bought 2026-01-10, 72 months), or one out of warranty (bought 2018, ended 2023).</summary>
    public async Task<JsonNode> NewRepairOrder(bool inWarranty = true)
    {
        var customer = await Customer();
        var serial = await Product(customer, purchased: inWarranty ? null : new DateOnly(2018, 1, 10));
        return (await Clerk.Post("/api/work-orders", RepairBody(customer, serial))).Expect(HttpStatusCode.Created).Body;
    }

    /// <summary>Every technician the manager sees, through every page of the list.</summary>
    public async Task<List<JsonNode>> AllTechnicians()
    {
        var all = new List<JsonNode>();
        for (var number = 1; ; number++)
        {
            var items = (await Manager.Get($"/api/technicians?pageSize=200&page={number}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            all.AddRange(items.Select(t => t!));
            if (items.Count < 200) return all;
        }
    }

    /// <summary>A technician's id by username, through every page of the list: a fixture's tests add technicians of their own.</summary>
    public async Task<int> TechnicianId(string username)
    {
        for (var number = 1; ; number++)
        {
            var page = (await Manager.Get($"/api/technicians?pageSize=200&page={number}")).Expect(HttpStatusCode.OK).Body;
            var items = page["items"]!.AsArray();
            if (items.FirstOrDefault(t => t!["username"]!.GetValue<string>() == username) is { } found) return found["id"]!.GetValue<int>();
            if (items.Count < 200) throw new InvalidOperationException($"No technician {username}.");
        }
    }

    /// <summary>A new technician of the Changsha branch with every skill, so a scenario's counters are its own.</summary>
    /// <summary>A technician of a new branch: the order pool of Changsha is not theirs.</summary>
    public async Task<string> OtherBranchTechnician()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"外-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"o{Guid.NewGuid():N}"[..12];
        var user = (await admin.Post("/api/users", new { username = name, displayName = "外网点师傅", password = AppFixture.Password, roles = new[] { "technician" }, branchId = branch }))
            .Expect(HttpStatusCode.Created).Body;
        (await admin.Post("/api/technicians", new { userId = user["id"]!.GetValue<int>(), skills = new[] { "ac.repair" }, onDuty = true, alreadyEmployed = true }))
            .Expect(HttpStatusCode.Created);
        return name;
    }

    public async Task<(string User, int TechnicianId, int UserId)> NewTechnician(string[]? skills = null)
    {
        var name = $"t{Guid.NewGuid():N}"[..12];
        var user = (await app.Api("admin").Post("/api/users", new
        {
            username = name, displayName = "新师傅", password = AppFixture.Password, roles = new[] { "technician" },
            branchId = (await Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>(),
        })).Expect(HttpStatusCode.Created).Body;
        var tech = (await Manager.Post("/api/technicians", new
        {
            userId = user["id"]!.GetValue<int>(), skills = skills ?? ["ac.install", "ac.repair", "purifier.install", "purifier.repair"], onDuty = true,
            alreadyEmployed = true, // onboarded: the hiring checklist is HiringTests' subject, not every test's
        })).Expect(HttpStatusCode.Created).Body;
        return (name, tech["id"]!.GetValue<int>(), user["id"]!.GetValue<int>());
    }

    /// <summary>
    /// Finance receives the money a technician still holds from out-of-warranty repairs of earlier tests, so FEE-12 (no new
    /// parts while parts cost is owed) does not refuse a test's requisition depending on which tests ran before it.
    /// </summary>
    public Task SettleMoneyHeldBy(int technicianId) => app.Db(async db =>
    {
        var done = new[] { Fieldline.Web.Features.WorkOrders.WorkOrderStatus.Completed, Fieldline.Web.Features.WorkOrders.WorkOrderStatus.Visited, Fieldline.Web.Features.WorkOrders.WorkOrderStatus.Closed };
        var owing = await db.WorkOrders.Include(o => o.Timeline).Include(o => o.Charges)
            .Where(o => o.TechnicianId == technicianId && !o.InWarranty && o.RemittedAmount == null && done.Contains(o.Status)).ToListAsync();
        foreach (var o in owing.Where(o => o.Timeline.All(t => t.Action != "remitted")))
            o.RecordRemittance(o.Charges.Sum(c => c.Amount), new Fieldline.Web.Features.WorkOrders.Actor(null, "finance", "finance"), app.Clock.GetUtcNow());
        await db.SaveChangesAsync();
        return 0;
    });

    /// <summary>A repair order walked to <paramref name="status"/> with tech01 as its technician.</summary>
    public async Task<long> OrderIn(string status, string tech = "tech01", bool inWarranty = true)
    {
        var id = (await NewRepairOrder(inWarranty))["id"]!.GetValue<long>();
        var t = app.Api(tech);
        var steps = new (string Until, Func<Task<Reply>> Step)[]
        {
            ("dispatched", async () => await Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = await TechnicianId(tech) })),
            ("accepted", () => t.Post($"/api/work-orders/{id}/accept")),
            // An appointment agreed now lies ahead (F9): "now" on the shared clock, however far earlier tests moved it.
            ("scheduled", () => t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = app.LocalNow, end = app.LocalNow.AddHours(2) } })),
            ("inProgress", async () =>
            {
                var checkedIn = await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } });
                app.Clock.Advance(TimeSpan.FromMinutes(30)); // the test run happens on site: never longer than the time since the check-in
                return checkedIn;
            }),
            ("completed", () => t.Post($"/api/work-orders/{id}/complete", CompleteBody())),
            ("visited", () => app.Api("visitor").Post($"/api/work-orders/{id}/return-visit", new { reached = true, satisfaction = 5, findings = Array.Empty<string>(), notes = "满意" })),
            ("closed", () => Manager.Post($"/api/work-orders/{id}/close")),
        };
        if (status == "new") return id;
        if (status == "cancelled")
        {
            (await Dispatcher.Post($"/api/work-orders/{id}/cancel", new { reason = "客户取消" })).Expect(HttpStatusCode.OK);
            return id;
        }
        foreach (var (until, step) in steps)
        {
            (await step()).Expect(HttpStatusCode.OK);
            if (until == status) return id;
        }
        throw new ArgumentException($"unknown status {status}");
    }

    /// <summary>A completion with all the evidence the generic policy requires (CMP-09): a photo, barcode, 30-minute test run,
    /// service sticker and signature; the location comes from the check-in. Its one charge is 4 m of PVC pipe the customer
    /// pays for (FEE-10), which may be charged in warranty too (a visit fee on an in-warranty order is refused, FEE-08).</summary>
    public static object CompleteBody() => new
    {
        resolution = "更换电容,试机正常", faultCategory = "component", barcode = "GR123456", testRunMinutes = 30,
        checklist = new { powerOff = true, testRun = true, serviceSticker = true }, partsUsed = new[] { new { partNumber = "CAP-35", name = "电容", quantity = 1 } },
        charges = new[] { new { description = "PVC水管4米", priceCode = "M-PVC-PIPE", quantity = 4, amount = 30.00m } }, invoiceNumber = "43001234",
        signature = "data:image/png;base64," + Convert.ToBase64String(TinyPng),
        photos = new[] { "data:image/png;base64," + Convert.ToBase64String(TinyPng) },
    };

    /// <summary>Uploads a photo of the work as the phone does (multipart, kind=photo).</summary>
    public async Task<long> Photo(long orderId, string tech = "tech01")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TinyPng);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "photo.png");
        form.Add(new StringContent("photo"), "kind");
        return (await app.Api(tech).Send(HttpMethod.Post, $"/api/work-orders/{orderId}/attachments", null, content: form)).Expect(HttpStatusCode.Created).Id;
    }

    /// <summary>A repair by <paramref name="tech"/> completed now with the given charges (and parts), in or out of warranty.</summary>
    /// <summary>
    /// A new customer's order of <paramref name="type"/> (an AC installation, or a repair of their registered unit), taken by
    /// a new technician and walked to inProgress: checked in at the customer's, 40 minutes on site.
    /// </summary>
    public async Task<(long Id, Api Tech)> OnSite(string type = "install", string model = "KFR-35GW")
    {
        var customer = await Customer();
        var serial = await Product(customer);
        object body = type == "repair" ? RepairBody(customer, serial)
            : new { type, channel = "hotline", customerId = customer, productLine = "ac", productModel = model, purchaseDate = "2026-11-20" };
        var id = (await Clerk.Post("/api/work-orders", body)).Expect(HttpStatusCode.Created).Id;
        var who = await NewTechnician();
        var tech = app.Api(who.User);
        (await Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var at = app.LocalNow.AddHours(1);
        (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(40)); // on site long enough for the test run claimed
        return (id, tech);
    }

    public async Task<long> CompletedBy((string User, int TechnicianId, int UserId) tech, bool inWarranty, object[] charges, object[]? parts = null, string? payment = null)
    {
        var id = (await NewRepairOrder(inWarranty))["id"]!.GetValue<long>();
        (await Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        var t = app.Api(tech.User);
        (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var start = app.LocalNow.AddHours(1);
        (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start, end = start.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(45)); // on site long enough for the test run claimed
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(CompleteBody(), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        body["charges"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(charges, System.Text.Json.JsonSerializerOptions.Web));
        body["partsUsed"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(parts ?? [], System.Text.Json.JsonSerializerOptions.Web));
        if (payment is not null) body["paymentMethod"] = payment;
        (await t.Post($"/api/work-orders/{id}/complete", body)).Expect(HttpStatusCode.OK);
        return id;
    }

    /// <summary>A real 1×1 PNG.</summary>
    public static readonly byte[] TinyPng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}
