using System.Globalization;
using System.Text.RegularExpressions;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Pages;

/// <summary>
/// The console's words in Chinese (the default) and English. Pages write the English text, <c>T["Dispatch board"]</c>;
/// in Chinese it is looked up here. A unit test fails when a page uses an English text that has no Chinese entry.
/// Coded values (statuses, types, clocks, roles) go through <see cref="Code"/>.
/// </summary>
public sealed partial class Text
{
    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);

    /// <summary>A sentence built from values, given in both languages at the call site.</summary>
    public string Say(string zh, string en) => IsChinese ? zh : en;

    public string this[string english] => IsChinese && Zh.TryGetValue(english, out var zh) ? zh : english;

    /// <summary>The display name of a coded value, e.g. Code("status", "inProgress") → 服务中 / In progress.</summary>
    public string Code(string kind, string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return Codes.TryGetValue($"{kind}:{value}", out var t) ? (IsChinese ? t.Zh : t.En) : value;
    }

    public string Code<TEnum>(string kind, TEnum value) where TEnum : struct, Enum => Code(kind, JsonNames.Of(value));

    /// <summary>A date and time as the branch reads it (values arrive already in the branch's offset).</summary>
    public static string Time(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    public static string DayTime(DateTimeOffset? t) => t?.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    public static string Money(decimal amount) => "¥" + amount.ToString("0.00", CultureInfo.InvariantCulture);

    public string Illegal(WorkOrderStatus current, string action) => IsChinese
        ? $"工单当前为「{Code("status", current)}」,不能{Code("action", action)}。"
        : $"A work order that is {Code("status", current).ToLowerInvariant()} cannot be {action}ed.";

    /// <summary>A handler's English field error in the user's language, for the patterns the validators use.</summary>
    public string Validation(string field, string message)
    {
        if (!IsChinese) return message;
        var label = Field(field);
        if (PolicyRequired().Match(message) is { Success: true } p) return $"{label}为必填项(现行服务规范第 {p.Groups[1].Value} 版要求)。";
        if (message.EndsWith("is required.", StringComparison.Ordinal) || message.Contains(" is required. Allowed:", StringComparison.Ordinal)) return $"请填写{label}。";
        if (MaxLength().Match(message) is { Success: true } m) return $"{label}最多 {m.Groups[1].Value} 个字符。";
        if (message.Contains("mainland mobile number", StringComparison.Ordinal)) return $"{label}须为 11 位手机号(1 开头)或带区号的固话,如 0431-5877386。";
        if (message.Contains("is not a valid", StringComparison.Ordinal) || message.Contains("Allowed:", StringComparison.Ordinal)) return $"{label}的取值无效。";
        if (message.Contains("must be before", StringComparison.Ordinal) || message.Contains("must not be before", StringComparison.Ordinal)) return $"{label}:结束时间须晚于开始时间。";
        return $"{label}:{message}";
    }

    /// <summary>A fine of the policy by its trigger: the policy's English text, or the Chinese of the regulation where we have it.</summary>
    public string Fine(string key, string trigger) => IsChinese && Codes.TryGetValue("fine:" + key, out var t) ? t.Zh : trigger;

    public string Field(string field) => Codes.TryGetValue("field:" + field, out var t) ? (IsChinese ? t.Zh : t.En) : field;

    [GeneratedRegex(@"required by the policy in force \(intake\.requiredFields, version (\d+)\)")]
    private static partial Regex PolicyRequired();

    [GeneratedRegex(@"must be at most (\d+) characters")]
    private static partial Regex MaxLength();

    public static IEnumerable<string> Keys => Zh.Keys;

    private static readonly Dictionary<string, (string En, string Zh)> Codes = new(StringComparer.Ordinal)
    {
        ["status:new"] = ("New", "待派工"), ["status:dispatched"] = ("Dispatched", "已派工"), ["status:accepted"] = ("Accepted", "已接单"),
        ["status:scheduled"] = ("Scheduled", "已预约"), ["status:inProgress"] = ("On site", "服务中"), ["status:completed"] = ("Completed", "已完工"),
        ["status:visited"] = ("Return-visited", "已回访"), ["status:closed"] = ("Closed", "已关闭"), ["status:cancelled"] = ("Cancelled", "已取消"), ["status:returned"] = ("Returned to dispatcher", "退回调度"),
        ["type:install"] = ("Installation", "安装"), ["type:repair"] = ("Repair", "维修"), ["type:maintenance"] = ("Maintenance", "保养"), ["type:inspection"] = ("Inspection", "检测"),
        ["channel:hotline"] = ("Hotline", "服务热线"), ["channel:web"] = ("Web", "网站"), ["channel:brand"] = ("Brand hotline", "厂家派单"),
        ["channel:email"] = ("E-mail", "邮件"), ["channel:walkIn"] = ("Walk-in", "来店"), ["channel:returnVisit"] = ("Return visit", "回访"), ["channel:technicianLead"] = ("Technician's lead", "技师登记"),
        ["line:ac"] = ("Air conditioner", "空调"), ["line:purifier"] = ("Water purifier", "净水器"), ["line:waterHeater"] = ("Water heater", "热水器"),
        ["line:kitchen"] = ("Kitchen appliance", "厨电"), ["line:medical"] = ("Medical device", "医疗设备"), ["line:equipment"] = ("Equipment", "设备"),
        ["attachment:photo"] = ("Photo", "照片"), ["attachment:document"] = ("Document", "文件"), ["attachment:signature"] = ("Customer's signature", "客户签名"),
        ["attachment:sticker"] = ("Service sticker", "服务贴"),
        ["complaintType:productQualityOrFunction"] = ("Product quality", "产品质量"), ["complaintType:packagingDamage"] = ("Packaging damage", "包装破损"),
        ["complaintType:staffAttitudeOrNegligence"] = ("Staff attitude", "服务态度"), ["complaintType:lateContact"] = ("Late contact", "未及时联系"),
        ["complaintType:noVisit"] = ("No visit", "未按约上门"), ["complaintType:other"] = ("Other", "其他"),
        ["complaintStatus:open"] = ("Open", "待核实"), ["complaintStatus:verified"] = ("Verified", "已核实"), ["complaintStatus:rejected"] = ("Rejected", "不属实"),
        ["complaintStatus:resolved"] = ("Resolved", "已处理"),
        ["priority:normal"] = ("Normal", "普通"), ["priority:urgent"] = ("Urgent", "紧急"),
        ["clock:dispatch"] = ("Dispatch", "派工"), ["clock:processing"] = ("Processing", "信息处理"), ["clock:acknowledgement"] = ("Acceptance", "接单"),
        ["clock:contact"] = ("Customer contact", "联系客户"), ["clock:contactLimit"] = ("Contact limit (4 h)", "联系时限"), ["clock:progressCall"] = ("Progress call", "进度回访"),
        ["clock:visit"] = ("Visit", "上门"), ["clock:completionTarget"] = ("Completion target", "完工目标"), ["clock:completion"] = ("Completion", "完工"),
        ["clock:returnVisit"] = ("Return visit", "回访"), ["clock:moneyHandIn"] = ("Money hand-in", "费用上交"), ["clock:partsReturn"] = ("Old parts return", "旧件返还"),
        ["clock:resolve"] = ("Complaint resolution", "投诉处理"),
        ["clock:slipHandIn"] = ("Slip hand-in", "单据上交"),
        ["unit:%"] = ("%", "%"), ["unit:% of planned duration"] = ("% of planned duration", "% 计划时长"), ["unit:CNY"] = ("CNY", "元"), ["unit:CNY/bolt"] = ("CNY/bolt", "元/颗"), ["unit:CNY/day"] = ("CNY/day", "元/天"), ["unit:CNY/month"] = ("CNY/month", "元/月"), ["unit:CNY/order"] = ("CNY/order", "元/单"), ["unit:CNY/spot"] = ("CNY/spot", "元/处"), ["unit:HP"] = ("HP", "匹"), ["unit:W"] = ("W", "瓦"), ["unit:bolts"] = ("bolts", "颗"), ["unit:count/month"] = ("count/month", "次/月"), ["unit:days"] = ("days", "天"), ["unit:kg"] = ("kg", "千克"), ["unit:lates"] = ("lates", "次迟到"), ["unit:m"] = ("m", "米"), ["unit:minutes"] = ("minutes", "分钟"), ["unit:mm"] = ("mm", "毫米"), ["unit:mm²"] = ("mm²", "平方毫米"), ["unit:months"] = ("months", "个月"), ["unit:rings"] = ("rings", "声"), ["unit:screws"] = ("screws", "颗"), ["unit:units/day"] = ("units/day", "台/天"), ["unit:× amount"] = ("× amount", "× 金额"), ["unit:× standard price"] = ("× standard price", "× 标准价"), ["unit:× unit weight"] = ("× unit weight", "× 单位重量"),
        ["clockState:running"] = ("Running", "计时中"), ["clockState:warning"] = ("Warning", "预警"), ["clockState:overdue"] = ("Overdue", "已超时"),
        ["clockState:paused"] = ("Paused", "暂停"), ["clockState:met"] = ("Met", "达标"), ["clockState:breached"] = ("Breached", "超时"),
        ["clockState:exempt"] = ("Exempt", "免责"), ["clockState:cancelled"] = ("Cancelled", "已取消"),
        ["ledger:fine"] = ("Fine", "罚款"),
        ["deliveryChannel:inApp"] = ("In-app", "站内通知"), ["deliveryChannel:live"] = ("Live push", "实时推送"), ["deliveryChannel:sms"] = ("SMS", "短信"),
        ["deliveryState:pending"] = ("Waiting to retry", "等待重试"), ["deliveryState:delivered"] = ("Delivered", "已送达"), ["deliveryState:dead"] = ("Failed", "投递失败"),
        ["penalty:proposed"] = ("Proposed", "待确认"), ["penalty:confirmed"] = ("Confirmed", "已确认"), ["penalty:dismissed"] = ("Dismissed", "已撤销"),
        ["role:admin"] = ("Administrator", "系统管理员"), ["role:manager"] = ("After-sales manager", "售后经理"), ["role:dispatcher"] = ("Dispatcher", "调度员"),
        ["role:infoClerk"] = ("Information clerk", "信息员"), ["role:technician"] = ("Technician", "技师"), ["role:returnVisitAgent"] = ("Return-visit agent", "回访员"),
        ["role:complaintHandler"] = ("Complaint handler", "投诉处理员"), ["role:warehouseKeeper"] = ("Warehouse keeper", "库管员"), ["role:finance"] = ("Finance", "财务"),
        ["role:supervisor"] = ("After-sales supervisor", "售后主管"),
        ["role:system"] = ("System", "系统"),
        ["action:created"] = ("created", "受理"), ["action:dispatched"] = ("dispatched", "派工"), ["action:accepted"] = ("accepted", "接单"),
        ["action:rejected"] = ("rejected", "拒单"), ["action:contacted"] = ("contacted the customer", "联系客户"), ["action:contactFailed"] = ("could not reach the customer", "联系未果"),
        ["action:remitted"] = ("handed in the money", "费用上交"), ["action:partsReturned"] = ("returned the old parts", "旧件返还"),
        ["action:slipHandedIn"] = ("handed in the slip", "单据上交"), ["action:brandFined"] = ("recorded a brand fine", "厂家罚款"),
        ["action:progressCalled"] = ("made the progress call", "进度回访"), ["action:unreachableConfirmed"] = ("confirmed the customer unreachable", "确认客户联系不上"),
        ["action:unreachableRefuted"] = ("reached the customer", "调度员联系上客户"), ["action:rescheduled"] = ("rescheduled with consent", "经客户同意改约"),
        ["action:checkedIn"] = ("checked in on site", "到达现场"), ["action:completed"] = ("completed", "完工"), ["action:emptyTrip"] = ("recorded an empty trip", "空跑"),
        ["action:transferRequested"] = ("asked for a transfer", "申请转单"), ["action:transferred"] = ("transferred", "转派"), ["action:cancelled"] = ("cancelled", "取消"),
        ["action:returnVisitFailed"] = ("return visit not reached", "回访未接通"), ["action:returnVisited"] = ("return-visited", "回访"), ["action:closed"] = ("closed", "关闭"), ["action:returnedToDispatcher"] = ("returned to the dispatcher", "退回调度"),
        ["action:dispatch"] = ("dispatch", "派工"), ["action:transfer"] = ("transfer", "转派"), ["action:cancel"] = ("cancel", "取消"),
        // The complaint-conditioned fines of the presets (regulations.md §22 "C"), as the regulation says them in Chinese.
        ["fine:secondVisitMissingItems"] = ("Second visit caused by not bringing tools/materials/parts", "未带齐工具、材料、配件造成二次上门"),
        ["fine:missedAppointmentComplaint"] = ("Missed the agreed appointment time", "未按约定时间上门"),
        ["fine:untidyOrDrunkComplaint"] = ("Untidy or on duty after drinking", "衣冠不整或酒后上岗"),
        ["fine:unitPushedOnFloorComplaint"] = ("Pushed/dragged the unit on the floor", "在地面上推拉、拖动空调"),
        ["fine:installPositionWithoutConsentComplaint"] = ("Position not per property office / without customer consent", "安装位置不符合物业要求或未征得用户同意"),
        ["fine:customerPropertyDamageComplaint"] = ("Damaged customer belongings", "损坏用户物品"),
        ["fine:rudenessOrQuarrelWithCustomer"] = ("Bad attitude, sarcasm, deceit, insult or quarrel with customer", "态度恶劣、冷嘲热讽、欺骗、辱骂或与用户争吵"),
        ["fine:staffSwearingOrQuarrellingComplaint"] = ("Staff swore/quarrelled among themselves during service", "服务中员工之间相互谩骂、争吵"),
        ["fine:productNotExplainedComplaint"] = ("Did not explain product features/usage/maintenance", "未向用户讲解产品性能、使用及保养"),
        ["fine:siteNotCleanedComplaint"] = ("Unit not wiped / site not cleaned / furniture not put back", "未擦拭机器、清理现场、归位家具"),
        ["fine:installPositionWithoutConsentInstaller"] = ("Position without property office/customer consent", "未经物业或用户同意确定安装位置"),
        ["fine:badPositionNotWarnedInstaller"] = ("Did not warn that customer's chosen position hurts performance", "未提醒用户所选位置影响使用效果"),
        ["fine:nonStandardServiceComplaint"] = ("Complaint that service was not to standard (incl. return visit)", "服务不规范被用户投诉(含回访)"),
        ["fine:chargingViolationComplaint"] = ("Charged against the price standard → complaint", "违反收费标准收费被投诉"),
        ["fine:uniformOrCardMissingCustomerDissatisfied"] = ("No uniform/permit/supervision card and customer dissatisfied", "未穿工装、未带上岗证或服务监督卡,用户不满意"),
        ["fine:supervisorComplaint"] = ("Customer complains about the after-sales supervisor", "客户投诉售后主管"),
        ["field:penaltyKey"] = ("Fine", "罚则"), ["field:personUserId"] = ("Person", "责任人"),
        ["field:phone"] = ("Phone", "电话"), ["field:customer.name"] = ("Customer name", "客户姓名"), ["field:customer.phone"] = ("Phone", "电话"),
        ["field:customer.address"] = ("Address", "地址"), ["field:customerName"] = ("Customer name", "客户姓名"), ["field:address"] = ("Address", "地址"),
        ["field:contactPerson"] = ("Contact person", "联系人"), ["field:contactPhone"] = ("Contact phone", "联系电话"), ["field:type"] = ("Request type", "服务类型"),
        ["field:channel"] = ("Channel", "来源渠道"), ["field:priority"] = ("Priority", "优先级"), ["field:productLine"] = ("Product line", "产品线"),
        ["field:productModel"] = ("Model", "型号"), ["field:productSerial"] = ("Serial number", "机号"), ["field:serialNumber"] = ("Serial number", "机号"),
        ["field:purchaseDate"] = ("Purchase date", "购机日期"), ["field:faultDescription"] = ("Fault description", "故障描述"),
        ["field:requestedWindow"] = ("Requested window", "预约时段"), ["field:requestedWindow.start"] = ("Window start", "预约开始"),
        ["field:requestedWindow.end"] = ("Window end", "预约结束"), ["field:customerId"] = ("Customer", "客户"), ["field:branchId"] = ("Branch", "网点"),
        ["field:technicianId"] = ("Technician", "技师"), ["field:reason"] = ("Reason", "原因"), ["field:username"] = ("Username", "用户名"),
        ["field:displayName"] = ("Name", "姓名"), ["field:password"] = ("Password", "密码"), ["field:roles"] = ("Roles", "角色"),
        ["field:skills"] = ("Skills", "技能"), ["field:regions"] = ("Regions", "区域"), ["field:userId"] = ("User", "用户"),
        ["field:basedOn"] = ("Preset", "模板"), ["field:effectiveFrom"] = ("Effective from", "生效时间"), ["field:note"] = ("Note", "备注"),
        ["field:q"] = ("Search text", "搜索内容"), ["field:from"] = ("From", "开始日期"), ["field:to"] = ("To", "结束日期"), ["field:status"] = ("Status", "状态"),
    };
}
