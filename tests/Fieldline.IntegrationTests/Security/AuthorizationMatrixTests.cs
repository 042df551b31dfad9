using System.IO.Compression;
using System.Net;
using System.Text;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Security;

[Collection(SqliteCollection.Name)] public sealed class AuthorizationMatrixTestsOnSqlite(SqliteFixture app) : AuthorizationMatrixTests(app);
[Collection(PostgresCollection.Name)] public sealed class AuthorizationMatrixTestsOnPostgres(PostgresFixture app) : AuthorizationMatrixTests(app);

/// <summary>
/// Every role against every API endpoint the app maps (read from its routing table, so a new endpoint is covered without
/// touching this file) and every object scope: the caller's own, another technician's, another branch's. A leak is any of:
/// a 2xx on someone else's object, a marker planted in someone else's data appearing in an answer (JSON, workbook or PDF),
/// someone else's data changed, a 5xx, or an endpoint answering without a token.
/// </summary>
public abstract class AuthorizationMatrixTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private sealed record Route(string Method, string Pattern, bool Multipart);

    /// <summary>Server-sent event streams never end; the sandbox moves the clock every other test relies on; the customer's link is signed, not role-checked.</summary>
    private static bool Skipped(string pattern) => pattern.EndsWith("/stream", StringComparison.Ordinal) || pattern.StartsWith("/api/sandbox", StringComparison.Ordinal);

    private List<Route> Routes()
    {
        var sources = app.Factory.Services.GetRequiredService<EndpointDataSource>();
        return sources.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [],
                Multipart: e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data") == true))
            .Where(e => e.Pattern.StartsWith("/api/", StringComparison.Ordinal) && !Skipped(e.Pattern))
            .SelectMany(e => e.Methods.Select(m => new Route(m, e.Pattern, e.Multipart)))
            .Distinct().OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();
    }

    /// <summary>The objects of Changsha and of tech01 that others must not see or touch, each holding an ASCII marker.</summary>
    private sealed record Victim(string Marker, long OrderId, long AttachmentId, int CustomerId, string Serial, long ComplaintId, long PenaltyCaseId,
        long? ReviewId, long? NotificationId, long? DeliveryId, int Tech01UserId, int Tech01Id, int BranchId, long LeaveId, long RequisitionId, long OldPartId, long TrainingId,
        long QualityFlagId, long DepotReceiptId, long DepotUnitId, long ClaimId, long HandInId, long RefundId, long ReportId, long PlanId)
    {
        /// <summary>tech01's certificate (with a scan) and a company tool issued to tech01.</summary>
        public long CertificateId { get; init; }
        public long CompanyToolId { get; init; }
        /// <summary>tech01's service trip, reviewed (so tech01 is not left away for the other tests).</summary>
        public long TripId { get; init; }
        /// <summary>A policy change drafted in Changsha, waiting for its review (GOV-03).</summary>
        public long DraftId { get; init; }
        /// <summary>A customer's signed confirmation on tech01's order, kept by Changsha's dispatcher.</summary>
        public long ConfirmationId { get; init; }

        /// <summary>Branch-level data (calendar, branch) is every member's of that branch, not one technician's.</summary>
        public static bool BranchLevel(string pattern) => pattern.StartsWith("/api/branches/", StringComparison.Ordinal);

        public string Fill(string pattern)
        {
            var resource = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
            return System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}", m => (resource, m.Groups[1].Value) switch
            {
                ("work-orders", "id") => OrderId.ToString(),
                ("work-orders", "attachmentId") => AttachmentId.ToString(),
                ("customers", "id") => CustomerId.ToString(),
                ("products", "serial") => Serial,
                ("complaints", "id") => ComplaintId.ToString(),
                ("penalty-cases", "id") => PenaltyCaseId.ToString(),
                ("dismissal-reviews", "id") => (ReviewId ?? PenaltyCaseId).ToString(),
                ("notifications", "id") => (NotificationId ?? 1).ToString(),
                ("deliveries", "id") => (DeliveryId ?? 1).ToString(),
                ("users", "id") => Tech01UserId.ToString(),
                ("technicians", "id") => Tech01Id.ToString(),
                ("technicians", "recordId") => "1", // a document of the HR record: none is tech01's, so every answer is 403 or 404
                ("leave-requests", "id") => LeaveId.ToString(),
                ("requisitions", "id") => RequisitionId.ToString(),
                ("old-parts", "id") => OldPartId.ToString(),
                ("trainings", "id") => TrainingId.ToString(),
                ("quality-flags", "id") => QualityFlagId.ToString(),
                ("customer-confirmations", "id") => ConfirmationId.ToString(),
                ("depot", "id") when pattern.Contains("/receipts/", StringComparison.Ordinal) => DepotReceiptId.ToString(),
                ("depot", "id") => DepotUnitId.ToString(),
                ("warranty-claims", "id") => ClaimId.ToString(),
                ("cash", "id") => HandInId.ToString(),
                ("refunds", "id") => RefundId.ToString(),
                ("certificates", "id") => CertificateId.ToString(),
                ("company-tools", "id") => CompanyToolId.ToString(),
                ("trips", "id") => TripId.ToString(),
                ("policy", "id") => DraftId.ToString(),
                ("reports", "id") when pattern.Contains("/plans/", StringComparison.Ordinal) => PlanId.ToString(),
                ("reports", "id") => ReportId.ToString(),
                ("branches", "id" or "branchId") => BranchId.ToString(),
                ("pay-statements", "personUserId") => Tech01UserId.ToString(),
                ("pay-statements", "month") => "2026-11",
                ("assessments", "personUserId") => Tech01UserId.ToString(),
                ("assessments", "month") => "2026-11",
                var other => throw new InvalidOperationException($"The matrix has no object for {{{other.Item2}}} in {pattern}: add one to Victim.Fill."),
            });
        }
    }

    private static Victim? _victimSqlite, _victimPostgres;

    private async Task<Victim> Plant()
    {
        var marker = $"LEAK{Guid.NewGuid():N}"[..16];
        var customer = (await _given.Clerk.Post("/api/customers", new { name = $"客户{marker}", phone = Given.Phone(), address = $"长沙市{marker}路1号" })).Expect(HttpStatusCode.Created).Id;
        var serial = await _given.Product((int)customer);
        var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody((int)customer, serial, $"故障{marker}"))).Expect(HttpStatusCode.Created).Id;
        var tech01 = await _given.TechnicianId("tech01");
        (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech01 })).Expect(HttpStatusCode.OK);
        var tech = app.Api("tech01");
        (await tech.Post($"/api/work-orders/{order}/accept")).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{order}/contact", new { outcome = "reached", appointment = new { start = app.LocalNow, end = app.LocalNow.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{order}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var attachment = await _given.Photo(order);
        (await tech.Post($"/api/work-orders/{order}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
        var complaint = (await app.Api("complaints").Post("/api/complaints", new { type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", description = $"投诉{marker}", workOrderId = order }))
            .Expect(HttpStatusCode.Created).Id;
        (await _given.Manager.Post($"/api/work-orders/{order}/brand-fines", new { amount = 50m, reference = marker, reason = $"厂家罚款{marker}" })).Expect(HttpStatusCode.OK);
        var leaveDay = DateOnly.FromDateTime(app.LocalNow.Date.AddDays(400)).ToString("yyyy-MM-dd");
        var leave = (await tech.Post("/api/leave-requests", new { from = leaveDay, to = leaveDay, reason = $"请假{marker}" })).Expect(HttpStatusCode.Created).Id;
        var partNumber = $"M{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        (await app.Api("warehouse").Post("/api/parts", new { partNumber, name = "矩阵配件", unitCost = 1m, listPrice = 2m })).Expect(HttpStatusCode.Created);
        await _given.SettleMoneyHeldBy(tech01); // earlier tests may leave tech01 owing parts cost, which blocks new parts (FEE-12)
        var requisition = (await tech.Post("/api/requisitions", new { workOrderId = order, lines = new[] { new { partNumber, quantity = 1 } }, note = $"领料{marker}" })).Expect(HttpStatusCode.Created).Id;
        var oldPart = await app.Db(async db =>
        {
            var row = new Fieldline.Web.Features.Parts.OldPart
            {
                BranchId = 2, WorkOrderId = order, TechnicianId = tech01, PartId = await db.Parts.Where(p => p.PartNumber == partNumber).Select(p => p.Id).SingleAsync(),
                Quantity = 1, ExpectedSince = app.Clock.GetUtcNow(),
            };
            db.OldParts.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        // tech01's cash of the order, declared to finance, and a refund proposed to its customer.
        var handIn = (await tech.Post("/api/cash/hand-ins", new { workOrderIds = new[] { order } })).Expect(HttpStatusCode.Created).Id;
        var refund = await app.Db(async db =>
        {
            var row = new Fieldline.Web.Features.Billing.CustomerRefund
            {
                BranchId = 2, WorkOrderId = order, PersonUserId = await db.Technicians.Where(t => t.Id == tech01).Select(t => t.UserId).SingleAsync(), Amount = 30m,
                RuleId = "PEN-87", Reason = $"退款{marker}", ProposedAt = app.Clock.GetUtcNow(), ProposedBy = "manager",
            };
            db.CustomerRefunds.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        var confirmation = await app.Db(async db =>
        {
            var row = new Fieldline.Web.Features.Quality.CustomerConfirmation
            {
                WorkOrderId = order, BranchId = 2, Topic = Fieldline.Web.Features.Quality.ConfirmationTopic.CapacityMismatch, SignerName = $"签字{marker}",
                AttachmentId = attachment, SignedAt = app.Clock.GetUtcNow(), RecordedByUserId = await db.Technicians.Where(t => t.Id == tech01).Select(t => t.UserId).SingleAsync(),
                KeeperRole = "dispatcher",
            };
            db.CustomerConfirmations.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        var training = (await app.Api("supervisor").Post("/api/trainings", new { title = $"培训{marker}", kind = "company", day = leaveDay })).Expect(HttpStatusCode.Created).Id;
        var receipt = (await tech.Post("/api/depot/receipts", new { workOrderId = order, units = new[] { new { fault = $"送修{marker}", accessories = marker } } }))
            .Expect(HttpStatusCode.Created).Body;
        var claim = (await app.Api("supervisor").Post("/api/warranty-claims", new { workOrderId = order, description = $"索赔{marker}", evidenceAttachmentIds = new[] { attachment } }))
            .Expect(HttpStatusCode.Created).Id;
        var certificate = (await app.Api("supervisor").Post("/api/certificates", new
        {
            technicianId = tech01, kind = "welding", number = marker, validFrom = "2026-01-01", validTo = "2030-12-31",
            scan = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng),
        })).Expect(HttpStatusCode.Created).Id;
        var companyTool = (await app.Api("supervisor").Post("/api/company-tools", new { technicianId = tech01, item = $"工具{marker}", value = 100m })).Expect(HttpStatusCode.Created).Id;
        var trip = (await app.Api("supervisor").Post("/api/trips", new { technicianId = tech01, destination = $"出差{marker}", purpose = marker })).Expect(HttpStatusCode.Created).Id;
        (await tech.Post($"/api/trips/{trip}/arrival", new { progress = marker })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/trips/{trip}/log", new { work = marker, suggestion = marker })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/trips/{trip}/return", new { report = marker })).Expect(HttpStatusCode.OK);
        (await app.Api("supervisor").Post($"/api/trips/{trip}/review", new { restDays = 0 })).Expect(HttpStatusCode.OK);
        var draft = (await _given.Dispatcher.Post("/api/policy/drafts", new { basedOn = "generic", parameters = new { }, note = $"修订{marker}" })).Expect(HttpStatusCode.Created).Id;
        // Changsha's archived daily report and its supervisor's plan for next week (issue 19).
        long report;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
            report = (await scope.ServiceProvider.GetRequiredService<Fieldline.Web.Features.Reports.Archive.BuildReport>()
                .Build(Fieldline.Web.Features.Reports.Archive.ReportKind.Daily, 2, DateOnly.FromDateTime(app.LocalNow.Date), null, default)).Id;
        var plan = (await app.Api("supervisor").Post("/api/reports/plans", new { text = $"计划{marker}", items = new[] { marker } })).Expect(HttpStatusCode.OK).Body["id"]!.GetValue<long>();
        var ids = await app.Db(async db =>
        {
            var tech01User = await db.Technicians.Where(t => t.Id == tech01).Select(t => t.UserId).SingleAsync();
            return (
                Case: await db.PenaltyCases.Where(c => c.WorkOrderId == order).Select(c => c.Id).FirstAsync(),
                Review: await db.DismissalReviews.Where(r => r.BranchId == 2).Select(r => (long?)r.Id).FirstOrDefaultAsync(),
                Notification: await db.Notifications.Where(n => n.UserId == tech01User).Select(n => (long?)n.Id).FirstOrDefaultAsync(),
                Delivery: await db.OutboxDeliveries.Where(d => db.Outbox.Any(m => m.Id == d.OutboxId && m.WorkOrderId == order)).Select(d => (long?)d.Id).FirstOrDefaultAsync(),
                User: tech01User,
                // The completion's barcode is not the unit's registered serial: the on-site check flagged it.
                Flag: await db.QualityFlags.Where(f => f.WorkOrderId == order).Select(f => f.Id).FirstAsync());
        });
        return new Victim(marker, order, attachment, (int)customer, serial, complaint, ids.Case, ids.Review, ids.Notification, ids.Delivery, ids.User, tech01, 2, leave, requisition, oldPart, training, ids.Flag,
            receipt["id"]!.GetValue<long>(), receipt["units"]![0]!["id"]!.GetValue<long>(), claim, handIn, refund, report, plan) { CertificateId = certificate, CompanyToolId = companyTool, ConfirmationId = confirmation, TripId = trip, DraftId = draft };
    }

    private async Task<Victim> VictimOnce() =>
        app.Provider == "Sqlite" ? _victimSqlite ??= await Plant() : _victimPostgres ??= await Plant();

    /// <summary>A body that passes most requests' validation, so the call reaches the object's access check.</summary>
    private static object Body(Victim v) => new
    {
        reason = "矩阵测试", note = "矩阵测试", description = "矩阵测试", technicianId = v.Tech01Id, toTechnicianId = v.Tech01Id, outcome = "reached",
        appointment = new { start = "2026-11-26T14:00:00+08:00", end = "2026-11-26T16:00:00+08:00" }, location = new { lat = 28.18, lng = 112.94 },
        reached = true, satisfaction = 5, findings = Array.Empty<string>(), amount = 10m, reference = "M", workOrderId = v.OrderId, customerId = v.CustomerId,
        personUserId = v.Tech01UserId, decision = "uphold", type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", active = false, roles = new[] { "admin" },
    };

    private async Task<string> Text(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (type.Contains("spreadsheet", StringComparison.Ordinal))
        {
            using var zip = new ZipArchive(new MemoryStream(bytes));
            var all = new StringBuilder();
            foreach (var entry in zip.Entries) { using var r = new StreamReader(entry.Open()); all.Append(await r.ReadToEndAsync()); }
            return all.ToString();
        }
        if (type == "application/pdf")
        {
            var file = Path.GetTempFileName();
            try
            {
                await File.WriteAllBytesAsync(file, bytes);
                using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true })!;
                var text = await process.StandardOutput.ReadToEndAsync();
                await process.WaitForExitAsync();
                return text;
            }
            finally { File.Delete(file); }
        }
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>What a foreign caller may not change: the victim's rows as the database has them.</summary>
    private Task<string> Snapshot(Victim v) => app.Db(async db => string.Join("|",
        await db.WorkOrders.Where(o => o.Id == v.OrderId).Select(o => $"{o.Version}/{o.Status}/{o.TechnicianId}").SingleAsync(),
        await db.Timeline.CountAsync(t => t.WorkOrderId == v.OrderId),
        await db.Customers.Where(c => c.Id == v.CustomerId).Select(c => c.Version).SingleAsync(),
        await db.Products.CountAsync(p => p.CustomerId == v.CustomerId),
        await db.Complaints.Where(c => c.Id == v.ComplaintId).Select(c => $"{c.Version}/{c.Status}").SingleAsync(),
        await db.ComplaintFindings.CountAsync(f => f.ComplaintId == v.ComplaintId),
        await db.PenaltyCases.Where(c => c.Id == v.PenaltyCaseId).Select(c => $"{c.Version}/{c.State}").SingleAsync(),
        await db.Users.Where(u => u.Id == v.Tech01UserId).Select(u => u.Version).SingleAsync(),
        await db.ServiceTrips.Where(t => t.Id == v.TripId).Select(t => $"{t.Version}/{t.Status}").SingleAsync(),
        await db.PolicyDrafts.Where(d => d.Id == v.DraftId).Select(d => $"{d.Version}/{d.Status}/{d.ReviewedBy}").SingleAsync(),
        await db.Technicians.Where(t => t.Id == v.Tech01Id).Select(t => t.Version).SingleAsync(),
        await db.Attachments.CountAsync(a => a.WorkOrderId == v.OrderId),
        await db.LeaveRequests.Where(l => l.Id == v.LeaveId).Select(l => $"{l.Version}/{l.Status}").SingleAsync(),
        await db.Suspensions.CountAsync(s => s.TechnicianId == v.Tech01Id),
        await db.Requisitions.Where(r => r.Id == v.RequisitionId).Select(r => $"{r.Version}/{r.Status}").SingleAsync(),
        await db.OldParts.Where(p => p.Id == v.OldPartId).Select(p => $"{p.Version}/{p.Status}").SingleAsync(),
        await db.ToolChecks.CountAsync(c => c.TechnicianId == v.Tech01Id),
        await db.Set<Fieldline.Web.Features.People.CompanyTool>().Where(t => t.Id == v.CompanyToolId).Select(t => $"{t.Version}/{t.Status}").SingleAsync(),
        await db.Certificates.CountAsync(c => c.TechnicianId == v.Tech01Id),
        await db.Certificates.CountAsync(c => c.TechnicianId == v.Tech01Id),
        await db.HrRecords.CountAsync(c => c.TechnicianId == v.Tech01Id),
        await db.Offboardings.CountAsync(o => o.TechnicianId == v.Tech01Id),
        await db.TrainingAttendance.CountAsync(a => a.TrainingId == v.TrainingId),
        await db.Set<Fieldline.Web.Features.Depot.DepotUnit>().Where(u => u.Id == v.DepotUnitId).Select(u => $"{u.Version}/{u.Status}").SingleAsync(),
        await db.Set<Fieldline.Web.Features.Claims.WarrantyClaim>().Where(c => c.Id == v.ClaimId).Select(c => $"{c.Version}/{c.Status}").SingleAsync()));

    /// <summary>What a route is sent: nothing for a GET, a photo for an upload, else <see cref="Body"/>.</summary>
    private static Task<Reply> Call(Api api, Route route, Victim v)
    {
        if (route.Method == "GET") return api.Send(HttpMethod.Get, v.Fill(route.Pattern), null);
        if (!route.Multipart) return api.Send(new HttpMethod(route.Method), v.Fill(route.Pattern), Body(v));
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Given.TinyPng);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "photo.png");
        form.Add(new StringContent("photo"), "kind");
        return api.Send(new HttpMethod(route.Method), v.Fill(route.Pattern), null, content: form);
    }

    private async Task<List<string>> Probe(IEnumerable<string> users, Victim v, bool foreign, bool sameBranch = false)
    {
        var violations = new List<string>();
        foreach (var user in users)
        {
            var api = app.Api(user);
            foreach (var route in Routes())
            {
                if (!foreign && route.Method != "GET") continue; // the caller's own objects: reading must never fail; acting is each feature's tests
                var reply = await Call(api, route, v);
                var status = (int)reply.Status;
                var text = await Text(reply.Raw);
                var what = $"{user} {route.Method} {route.Pattern} → {status}";
                if (status >= 500) violations.Add($"{what}: server error");
                if (!foreign) continue;
                var onObject = route.Pattern.Contains('{', StringComparison.Ordinal) && !(sameBranch && Victim.BranchLevel(route.Pattern));
                if (onObject && status is >= 200 and < 300) violations.Add($"{what}: acted on or read another's object");
                if (text.Contains(v.Marker, StringComparison.Ordinal)) violations.Add($"{what}: answer contains another's data");
            }
        }
        return violations;
    }

    [Fact]
    public async Task No_role_of_another_branch_reads_or_changes_anything_of_this_branch_through_any_endpoint()
    {
        var v = await VictimOnce();
        var before = await Snapshot(v);
        var outsiders = await OtherBranchStaff();
        var violations = await Probe(outsiders, v, foreign: true);
        violations.AddRange((await Snapshot(v)) == before ? [] : [$"another branch changed this branch's data: {before} → {await Snapshot(v)}"]);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task A_technician_reads_or_changes_nothing_of_another_technicians_order_through_any_endpoint()
    {
        var v = await VictimOnce();
        var before = await Snapshot(v);
        var violations = await Probe(["tech02"], v, foreign: true, sameBranch: true);
        violations.AddRange((await Snapshot(v)) == before ? [] : [$"tech02 changed tech01's data: {before} → {await Snapshot(v)}"]);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Every_role_reads_every_endpoint_about_its_own_branchs_objects_without_a_server_error()
    {
        var v = await VictimOnce();
        var violations = await Probe(["admin", "manager", "clerk", "dispatcher", "visitor", "complaints", "warehouse", "finance", "supervisor", "tech01"], v, foreign: false);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Every_endpoint_but_sign_in_answers_401_without_a_token()
    {
        var v = await VictimOnce();
        var anonymous = app.Api();
        var violations = new List<string>();
        foreach (var route in Routes().Where(r => r.Pattern != "/api/auth/token"))
        {
            var reply = await Call(anonymous, route, v);
            if (reply.Status != HttpStatusCode.Unauthorized) violations.Add($"{route.Method} {route.Pattern} → {(int)reply.Status}");
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static readonly string[] OfficeRoles = ["manager", "infoClerk", "dispatcher", "returnVisitAgent", "complaintHandler", "warehouseKeeper", "finance", "supervisor"];

    /// <summary>A new branch with one account per role, a technician with a profile among them.</summary>
    private async Task<List<string>> OtherBranchStaff()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"矩阵-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var users = new List<string>();
        foreach (var role in OfficeRoles.Append("technician"))
        {
            var name = $"m{Guid.NewGuid():N}"[..12];
            var created = (await admin.Post("/api/users", new { username = name, displayName = "外分公司", password = AppFixture.Password, roles = new[] { role }, branchId = branch }))
                .Expect(HttpStatusCode.Created).Body;
            if (role == "technician")
                (await _given.Manager.Post("/api/technicians", new { userId = created["id"]!.GetValue<int>(), skills = new[] { "ac.repair" }, onDuty = true })).Expect(HttpStatusCode.Created);
            users.Add(name);
        }
        return users;
    }
}
