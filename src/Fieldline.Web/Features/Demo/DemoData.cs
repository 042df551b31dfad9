using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Billing;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Demo;

public sealed class DemoOptions
{
    public bool DemoData { get; set; }
    public string DemoPassword { get; set; } = "Fieldline-2026";
    public string PolicyPreset { get; set; } = "generic";
}

/// <summary>
/// The demo company on an empty database: head office and the Changsha branch, staff in every role, 8 technicians,
/// 40 customers with air-conditioners and water purifiers, and 60 orders driven through the real lifecycle methods
/// into every state. Seeded with a fixed random seed, so every demo looks the same.
/// </summary>
public sealed class DemoData(AppDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, PolicyStore policies, SlaEngine sla, SlaTimer timer,
    ProposeLateContactFine fines, DemoOptions options, Reports.Archive.BuildDueReports reports, Reports.Archive.ReportOptions reportOptions, ILogger<DemoData> log)
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"];
    private static readonly (string District, double Lat, double Lng)[] Districts =
        [("岳麓区", 28.2135, 112.9350), ("芙蓉区", 28.1932, 113.0006), ("天心区", 28.1140, 112.9890), ("开福区", 28.2557, 112.9855), ("雨花区", 28.1354, 113.0353), ("望城区", 28.3475, 112.8196)];
    private static readonly string[] Roads = ["麓山南路", "五一大道", "芙蓉中路", "湘江中路", "韶山北路", "劳动西路", "人民东路", "金星中路", "银盆岭路", "桐梓坡路"];
    private static readonly string[] AcFaults = ["不制冷", "不制热", "室内机漏水", "开机后噪音大", "遥控器无反应", "显示E1故障代码", "外机不启动"];
    private static readonly string[] PurifierFaults = ["出水量小", "滤芯提示更换", "机器漏水", "制水不停机", "水有异味"];

    /// <summary>
    /// Complaints in every state: open, verified and resolved, rejected, past their 24 hours, a repeated one and an angry
    /// late-contact complaint about a waiting repair (which proposes PEN-88 if that order's 4-hour deadline has passed).
    /// </summary>
    private async Task<int> SeedComplaints(Branch cs, User desk, List<Customer> customers, List<(WorkOrder Order, int TechnicianUserId)> orders,
        CompanyPolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        var brand = policy.ComplaintLevels?.Contains("brand") == true;
        string? Routed(ComplaintType type) => RegisterComplaint.RoutingKey(type) is { } key ? policy.ComplaintRoutedTo(key) : null;
        Complaint New(Customer c, ComplaintType type, Channel channel, string text, double hoursAgo, WorkOrder? order = null, int? person = null,
            ComplaintLevel level = ComplaintLevel.Company, string? escalation = null, int repeat = 1, bool angry = false) => new()
        {
            BranchId = cs.Id, PolicyVersionId = policy.VersionId, CustomerId = c.Id, CustomerName = c.Name, Phone = c.Phone, WorkOrderId = order?.Id,
            PersonUserId = person, Type = type, Level = level, Channel = channel, Description = text, AngryCustomer = angry, RoutedTo = Routed(type),
            OwnerRole = escalation is null ? Roles.ComplaintHandler : Roles.Manager, EscalationReason = escalation, RepeatCount = repeat,
            CreatedAt = now.AddHours(-hoursAgo), CreatedByUserId = desk.Id, CreatedBy = desk.UserName,
        };
        var closed = orders.First(o => o.Order.Status == WorkOrderStatus.Closed);
        var waiting = orders.Where(o => o.Order.Status == WorkOrderStatus.Accepted && o.Order.Type != WorkOrderType.Install)
            .OrderBy(o => o.Order.DispatchedAt).First();
        var waitingCustomer = customers.First(c => c.Id == waiting.Order.CustomerId);
        var list = new List<Complaint>
        {
            New(customers[3], ComplaintType.ProductQualityOrFunction, Channel.Hotline, "新买的空调外机噪音很大,晚上睡不着", 2),
            New(customers[5], ComplaintType.PackagingDamage, Channel.Email, "送货时外包装破损,箱子被雨淋湿", 30),
            New(customers[7], ComplaintType.StaffAttitudeOrNegligence, Channel.ReturnVisit, "师傅进门没有穿鞋套", 40, closed.Order, closed.TechnicianUserId),
            New(customers[9], ComplaintType.Other, Channel.WalkIn, "要求上门讲解净水器滤芯更换方法", 26),
            New(customers[11], ComplaintType.PackagingDamage, Channel.Hotline, "净水器外包装破损", 50),
            New(customers[11], ComplaintType.PackagingDamage, Channel.Hotline, "包装破损,第二次反映了还没人处理", 1,
                escalation: Complaint.Escalations.Repeat, repeat: 2),
            New(waitingCustomer, ComplaintType.LateContact, Channel.Brand, "报修后一直没人联系,已经打了品牌热线", 0, waiting.Order, waiting.TechnicianUserId,
                brand ? ComplaintLevel.Brand : ComplaintLevel.Company, Complaint.Escalations.AngryCustomer, angry: true),
        };
        foreach (var c in list)
        {
            db.Complaints.Add(c);
            await sla.StartComplaint(c, policy, c.CreatedAt, ct);
        }
        await fines.Handle(list[^1], waiting.Order, list[^1].CreatedAt, ct);
        await db.SaveChangesAsync(ct);

        list[1].Verify(desk.UserName, "照片核实,物流责任", now.AddHours(-28));
        list[1].Resolve(desk.UserName, "已补发包装并向客户致歉", true, now.AddHours(-26));
        await sla.StopComplaint(list[1], now.AddHours(-26), ct);
        list[2].Reject(desk.UserName, "师傅出示了鞋套照片,客户记错", now.AddHours(-38));
        await db.SaveChangesAsync(ct);
        return list.Count;
    }

    public async Task SeedIfEmpty(CancellationToken ct)
    {
        if (!options.DemoData || await db.Branches.AnyAsync(ct)) return;
        var now = clock.GetUtcNow();
        var rng = new Random(20261126);

        var hq = new Branch { Name = "Fieldline 总部" };
        db.Branches.Add(hq);
        await db.SaveChangesAsync(ct);
        var cs = new Branch { Name = "长沙分公司", ParentId = hq.Id };
        db.Branches.Add(cs);
        await db.SaveChangesAsync(ct);

        User AddUser(string name, string display, Branch b, params string[] roles)
        {
            var u = new User { UserName = name, DisplayName = display, BranchId = b.Id, Roles = [.. roles] };
            u.PasswordHash = hasher.HashPassword(u, options.DemoPassword);
            db.Users.Add(u);
            return u;
        }
        AddUser("admin", "系统管理员", hq, Roles.Admin);
        var manager = AddUser("manager", "周经理", hq, Roles.Manager);
        var clerk = AddUser("clerk", "信息员小刘", cs, Roles.InfoClerk);
        var dispatcher = AddUser("dispatcher", "派工员老陈", cs, Roles.Dispatcher);
        var visitor = AddUser("visitor", "回访员小王", cs, Roles.ReturnVisitAgent);
        var complaintDesk = AddUser("complaints", "投诉专员", cs, Roles.ComplaintHandler);
        AddUser("warehouse", "仓管员", cs, Roles.WarehouseKeeper);
        AddUser("finance", "财务", cs, Roles.Finance);
        var techUsers = Enumerable.Range(1, 8).Select(i => AddUser($"tech{i:00}", Surnames[i] + "师傅", cs, Roles.Technician)).ToList();
        foreach (var (u, i) in techUsers.Select((u, i) => (u, i))) u.Phone = $"1867310{i + 1:0000}";
        AddUser("supervisor", "售后主管老黄", cs, Roles.Supervisor); // CPL-11: a complaint against him costs 10 CNY (PEN-94)
        await db.SaveChangesAsync(ct);

        string[] Skills(int i) => i switch
        {
            <= 2 => ["ac.install", "ac.repair", "purifier.install", "purifier.repair"],
            <= 5 => ["ac.install", "ac.repair"],
            _ => ["purifier.install", "purifier.repair", "ac.repair"],
        };
        var techs = techUsers.Select((u, i) =>
        {
            var d = Districts[i % Districts.Length];
            return new Technician
            {
                UserId = u.Id, BranchId = cs.Id, Skills = [.. Skills(i + 1)], Regions = [d.District],
                HomeLat = d.Lat + rng.NextDouble() * 0.02, HomeLng = d.Lng + rng.NextDouble() * 0.02, PayGrade = i < 3 ? "senior" : "standard", OnDuty = i != 7,
            };
        }).ToList();
        db.Technicians.AddRange(techs);

        var today = BranchTime.Today(now, BranchTime.Zone(cs.TimeZone));
        var customers = new List<Customer>();
        for (var i = 0; i < 40; i++)
        {
            var d = Districts[rng.Next(Districts.Length)];
            var c = new Customer
            {
                BranchId = cs.Id, Name = Surnames[rng.Next(Surnames.Length)] + Given[rng.Next(Given.Length)], Phone = $"139{74000000 + i * 1371:00000000}",
                Address = $"长沙市{d.District}{Roads[rng.Next(Roads.Length)]}{rng.Next(1, 400)}号{rng.Next(1, 30)}栋{rng.Next(1, 30)}0{rng.Next(1, 4)}",
                Lat = d.Lat + (rng.NextDouble() - 0.5) * 0.05, Lng = d.Lng + (rng.NextDouble() - 0.5) * 0.05, CreatedAt = now.AddDays(-rng.Next(30, 900)),
            };
            var ac = i % 4 != 3;
            var bought = today.AddDays(-rng.Next(20, ac ? 2600 : 700));
            c.Products.Add(ac
                ? new RegisteredProduct
                {
                    ProductLine = "ac", Brand = "格力", Model = rng.Next(2) == 0 ? "KFR-35GW/(35592)FNhAa-A1" : "KFR-72LW/(72551)FNhAa-B1",
                    SerialNumber = $"GR{bought:yyMM}{i:000000}", InvoiceNumber = $"4300{rng.Next(10000000, 99999999)}", PurchaseDate = bought,
                    InstalledOn = bought.AddDays(rng.Next(0, 4)), WarrantyMonths = 72,
                }
                : new RegisteredProduct
                {
                    ProductLine = "purifier", Brand = "沁园", Model = "JS-200", SerialNumber = $"JS{bought:yyMM}{i:000000}",
                    InvoiceNumber = $"4300{rng.Next(10000000, 99999999)}", PurchaseDate = bought, InstalledOn = bought.AddDays(1),
                    WarrantyMonths = 12, WarrantyExclusions = ["filter"],
                });
            customers.Add(c);
        }
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync(ct);

        db.PriceItems.AddRange(
            new PriceItem { Code = "L-AC-VISIT", Name = "空调上门检测费", ProductLine = "ac", Kind = PriceKind.Labour, StandardPrice = 50.00m },
            new PriceItem { Code = "L-AC-REFILL", Name = "空调加氟(R32)", ProductLine = "ac", Kind = PriceKind.Labour, StandardPrice = 150.00m },
            new PriceItem { Code = "P-AC-CAP", Name = "压缩机电容", ProductLine = "ac", Kind = PriceKind.Part, StandardPrice = 45.00m },
            new PriceItem { Code = "P-AC-BOARD", Name = "室内机主板", ProductLine = "ac", Kind = PriceKind.Part, StandardPrice = 280.00m },
            new PriceItem { Code = "L-PUR-VISIT", Name = "净水器上门检测费", ProductLine = "purifier", Kind = PriceKind.Labour, StandardPrice = 30.00m },
            new PriceItem { Code = "P-PUR-PP", Name = "PP棉滤芯", ProductLine = "purifier", Kind = PriceKind.Part, StandardPrice = 35.00m },
            new PriceItem { Code = "P-PUR-RO", Name = "RO反渗透膜", ProductLine = "purifier", Kind = PriceKind.Part, StandardPrice = 260.00m },
            new PriceItem { Code = "M-PVC-PIPE", Name = "PVC水管(米)", Kind = PriceKind.Material, StandardPrice = 8.00m });

        // 60 orders spread over the last three days, each walked as far as its target state by the real methods.
        var policy = await policies.InForce(db, now, ct);
        var targets = new[] { (WorkOrderStatus.New, 8), (WorkOrderStatus.Dispatched, 8), (WorkOrderStatus.Accepted, 6), (WorkOrderStatus.Scheduled, 8),
            (WorkOrderStatus.InProgress, 6), (WorkOrderStatus.Completed, 8), (WorkOrderStatus.Visited, 6), (WorkOrderStatus.Closed, 6), (WorkOrderStatus.Cancelled, 4) }
            .SelectMany(t => Enumerable.Repeat(t.Item1, t.Item2)).ToList();
        var zone = BranchTime.Zone(cs.TimeZone);
        Actor As(User u, string role) => new(u.Id, u.UserName, role);
        var seeded = new List<(WorkOrder Order, int TechnicianUserId)>();
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var customer = customers[i % customers.Count];
            var product = customer.Products[0];
            var install = i % 7 == 0;
            var minutesAgo = target switch
            {
                WorkOrderStatus.New => rng.Next(5, 90),
                WorkOrderStatus.Dispatched or WorkOrderStatus.Accepted => rng.Next(60, 300),
                WorkOrderStatus.Scheduled or WorkOrderStatus.InProgress => rng.Next(180, 900),
                _ => rng.Next(1500, 4300),
            };
            var created = now.AddMinutes(-minutesAgo);
            var order = new WorkOrder
            {
                Code = await WorkOrderCodeCounter.Next(db, BranchTime.Today(created, zone), ct), BranchId = cs.Id,
                Type = install ? WorkOrderType.Install : (i % 11 == 5 ? WorkOrderType.Maintenance : WorkOrderType.Repair),
                Channel = (Channel)(i % 4), Priority = i % 9 == 0 ? Priority.Urgent : Priority.Normal, AngryCustomer = i % 23 == 4,
                PolicyVersionId = policy.VersionId, CustomerId = customer.Id, ProductId = product.Id, ProductLine = product.ProductLine,
                ProductModel = product.Model, SerialNumber = product.SerialNumber, PurchaseDate = product.PurchaseDate,
                InWarranty = product.IsInWarrantyOn(BranchTime.Today(created, zone)), ContactPerson = customer.Name, ContactPhone = customer.Phone,
                Address = customer.Address, Lat = customer.Lat, Lng = customer.Lng,
                FaultDescription = install ? null : (product.ProductLine == "ac" ? AcFaults : PurifierFaults)[rng.Next(5)],
                RequestedStart = created.AddHours(2), RequestedEnd = created.AddHours(6), CreatedAt = created,
            };
            order.Receive(As(clerk, Roles.InfoClerk), created, new { channel = JsonNames.Of(order.Channel) });
            db.WorkOrders.Add(order);
            await sla.Apply(order, created, ct);
            var t = created;
            DateTimeOffset Step(int min, int max) => t = t.AddMinutes(rng.Next(min, max));
            var skill = Technician.SkillFor(order.ProductLine, install);
            var techIndex = Enumerable.Range(0, techs.Count).Where(k => techs[k].Skills.Contains(skill) && techs[k].OnDuty).ElementAt(i % 3);
            var tech = techs[techIndex];
            var techActor = As(techUsers[techIndex], Roles.Technician);
            seeded.Add((order, techUsers[techIndex].Id));
            if (target == WorkOrderStatus.Cancelled)
            {
                order.Cancel("客户已自行解决", As(dispatcher, Roles.Dispatcher), Step(10, 40));
                await sla.Apply(order, t, ct);
                continue;
            }
            if (target == WorkOrderStatus.New) continue;
            order.Dispatch(tech.Id, order.AngryCustomer ? As(manager, Roles.Manager) : As(dispatcher, Roles.Dispatcher), Step(5, 28));
            await sla.Apply(order, t, ct);
            if (target == WorkOrderStatus.Dispatched) continue;
            order.Accept(techActor, Step(1, 15));
            await sla.Apply(order, t, ct);
            if (target == WorkOrderStatus.Accepted) continue;
            var start = created.AddHours(3);
            order.Contact(true, start, start.AddHours(2), null, techActor, Step(3, 18));
            await sla.Apply(order, t, ct);
            if (target == WorkOrderStatus.Scheduled) continue;
            order.CheckIn(customer.Lat!.Value + 0.0004, customer.Lng!.Value - 0.0003, techActor, t = start.AddMinutes(rng.Next(-10, 40)));
            await sla.Apply(order, t, ct);
            if (target == WorkOrderStatus.InProgress) continue;
            order.Complete(new Completion(install ? "安装完成,试机正常" : "更换配件,试机正常", install ? null : "配件损坏", product.SerialNumber, 30, null, null,
                install ? [] : [new WorkOrderPart { PartNumber = "P-" + rng.Next(1000, 9999), Name = product.ProductLine == "ac" ? "电容" : "PP棉滤芯", Quantity = 1 }],
                order.InWarranty ? [] : [new WorkOrderCharge { Description = "上门维修费", Amount = 50.00m }],
                order.InWarranty ? null : $"4301{rng.Next(10000000, 99999999)}"), techActor, Step(60, 150));
            await sla.Apply(order, t, ct);
            if (target == WorkOrderStatus.Completed) continue;
            order.RecordReturnVisit("reached", rng.Next(4, 6), new { outcome = "reached", remarks = "客户满意" }, As(visitor, Roles.ReturnVisitAgent), Step(600, 1400));
            await sla.Apply(order, t, ct);
            if (target == WorkOrderStatus.Visited) continue;
            order.Close(As(manager, Roles.Manager), Step(30, 200));
            await sla.Apply(order, t, ct);
        }
        await db.SaveChangesAsync(ct);
        var complaints = await SeedComplaints(cs, complaintDesk, customers, seeded, policy, now, ct);
        await timer.RunDueAsync(ct); // the demo's overdue orders get their breaches now, as a running system would have
        // The archive as a scheduler running all along would hold it: last day's, week's, month's and quarter's reports built when
        // their periods ended (built now they would all show 已逾期, late).
        if (reportOptions.CadenceEnabled) await reports.BuildAsIfRunning([cs.Id], ct);
        log.LogInformation("Demo data seeded: 2 branches, {Users} users, {Techs} technicians, {Customers} customers, {Orders} work orders, {Complaints} complaints",
            await db.Users.CountAsync(ct), techs.Count, customers.Count, targets.Count, complaints);
    }
}
