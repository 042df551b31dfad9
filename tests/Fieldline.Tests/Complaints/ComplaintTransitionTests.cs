using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.WorkOrders;

namespace Fieldline.Tests.Complaints;

public class ComplaintTransitionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    private static Complaint In(ComplaintStatus status)
    {
        var c = new Complaint { Phone = "13800000000", Description = "包装破损", OwnerRole = "complaintHandler", CreatedBy = "complaints" };
        if (status is ComplaintStatus.Verified or ComplaintStatus.Resolved) c.Verify("complaints", null, T0);
        if (status is ComplaintStatus.Rejected) c.Reject("complaints", "不属实", T0);
        if (status is ComplaintStatus.Resolved) c.Resolve("complaints", "已答复", true, T0);
        return c;
    }

    private static readonly Dictionary<string, Action<Complaint>> Actions = new()
    {
        ["verify"] = c => c.Verify("complaints", "核实", T0.AddHours(1)),
        ["reject"] = c => c.Reject("complaints", "不属实", T0.AddHours(1)),
        ["resolve"] = c => c.Resolve("complaints", "已答复客户", true, T0.AddHours(1)),
    };

    /// <summary>open → verified / rejected → resolved; everything else is refused.</summary>
    private static readonly Dictionary<ComplaintStatus, string[]> Legal = new()
    {
        [ComplaintStatus.Open] = ["verify", "reject"],
        [ComplaintStatus.Verified] = ["resolve"],
        [ComplaintStatus.Rejected] = ["resolve"],
        [ComplaintStatus.Resolved] = [],
    };

    public static TheoryData<ComplaintStatus, string> Cases()
    {
        var data = new TheoryData<ComplaintStatus, string>();
        foreach (var status in Enum.GetValues<ComplaintStatus>())
            foreach (var action in Actions.Keys) data.Add(status, action);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_action_is_allowed_only_from_its_states_and_a_refusal_changes_nothing(ComplaintStatus status, string action)
    {
        var complaint = In(status);
        if (Legal[status].Contains(action))
        {
            Actions[action](complaint);
            Assert.NotEqual(status, complaint.Status);
        }
        else
        {
            var e = Assert.Throws<IllegalTransitionException>(() => Actions[action](complaint));
            Assert.Equal((Fieldline.Web.Infrastructure.Http.JsonNames.Of(status), action), (e.State, e.Action));
            Assert.Equal($"Cannot {action} a complaint that is {Fieldline.Web.Infrastructure.Localization.Catalogue.Code("complaintStatus", Fieldline.Web.Infrastructure.Http.JsonNames.Of(status), Fieldline.Web.Infrastructure.Localization.Catalogue.English)}.", e.Message);
            Assert.Equal(status, complaint.Status);
        }
    }

    [Fact]
    public void A_rejected_complaint_is_still_answered_and_keeps_who_rejected_it_and_why()
    {
        var complaint = In(ComplaintStatus.Rejected);
        complaint.Resolve("manager", "已向客户解释", true, T0.AddHours(2));
        Assert.Equal((ComplaintStatus.Resolved, "complaints", "不属实", "manager", true),
            (complaint.Status, complaint.RejectedBy, complaint.RejectionReason, complaint.ResolvedBy, complaint.CustomerNotified));
        Assert.Null(complaint.VerifiedAt);
    }

    private static Fieldline.Web.Features.Evaluation.PenaltyCase Case() =>
        new() { PenaltyKey = "missedAppointmentComplaint", RuleIds = "PEN-16", Condition = "customerComplaint", Amount = 30m, PersonUserId = 7 };

    [Fact]
    public void A_finding_on_an_open_complaint_is_kept_with_its_proposed_case_and_counted()
    {
        var complaint = In(ComplaintStatus.Open);
        var finding = complaint.RecordFinding("missedAppointmentComplaint", 7, "约定 14:00,16:30 才到", Case(), "complaints", T0.AddHours(1));
        Assert.Equal(("missedAppointmentComplaint", 7, "complaints", 1), (finding.PenaltyKey, finding.PersonUserId, finding.RecordedBy, complaint.FindingCount));
        Assert.Same(finding, Assert.Single(complaint.Findings));
        Assert.Equal(Fieldline.Web.Features.Evaluation.PenaltyState.Proposed, finding.PenaltyCase!.State);
    }

    [Theory]
    [InlineData(ComplaintStatus.Verified)]
    [InlineData(ComplaintStatus.Rejected)]
    [InlineData(ComplaintStatus.Resolved)]
    public void A_finding_is_recorded_only_while_the_complaint_is_open(ComplaintStatus status)
    {
        var complaint = In(status);
        var e = Assert.Throws<IllegalTransitionException>(() => complaint.RecordFinding("missedAppointmentComplaint", 7, null, Case(), "complaints", T0.AddHours(1)));
        Assert.Equal($"Cannot record findings on a complaint that is {Fieldline.Web.Infrastructure.Localization.Catalogue.Code("complaintStatus", Fieldline.Web.Infrastructure.Http.JsonNames.Of(status), Fieldline.Web.Infrastructure.Localization.Catalogue.English)}.", e.Message);
        Assert.Equal((0, 0), (complaint.FindingCount, complaint.Findings.Count));
    }

    [Theory]
    [InlineData(ComplaintType.ProductQualityOrFunction, "productQualityOrFunction")]
    [InlineData(ComplaintType.PackagingDamage, "packagingDamage")]
    [InlineData(ComplaintType.StaffAttitudeOrNegligence, "staffAttitudeOrNegligence")]
    [InlineData(ComplaintType.LateContact, "staffAttitudeOrNegligence")]
    [InlineData(ComplaintType.NoVisit, "staffAttitudeOrNegligence")]
    [InlineData(ComplaintType.Other, null)]
    public void Each_type_looks_up_its_routing_key_and_timeliness_is_negligence_of_service_staff(ComplaintType type, string? key) =>
        Assert.Equal(key, RegisterComplaint.RoutingKey(type));
}
