using Fieldline.Web.Features.WorkOrders;

namespace Fieldline.Tests.WorkOrders;

public class WorkOrderTransitionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);
    private static readonly Actor Clerk = new(1, "clerk", "infoClerk");
    private static readonly Actor Tech = new(2, "tech01", "technician");

    private static WorkOrder NewOrder() => new()
    {
        Code = "WO-20261126-0001", ProductLine = "ac", ContactPerson = "王", ContactPhone = "13800000000", Address = "长沙", Type = WorkOrderType.Repair,
    };

    private static readonly Dictionary<string, Action<WorkOrder>> Actions = new()
    {
        ["dispatch"] = o => o.Dispatch(7, Clerk, T0),
        ["accept"] = o => o.Accept(Tech, T0),
        ["reject"] = o => o.Reject("busy", Tech, T0),
        ["contact"] = o => o.Contact(true, T0, T0.AddHours(1), null, Tech, T0),
        ["reschedule"] = o => o.Reschedule(T0, T0.AddHours(1), "customer asked", Tech, T0),
        ["checkIn"] = o => o.CheckIn(28.1, 112.9, Tech, T0),
        ["complete"] = o => o.Complete(new Completion("done", null, null, 30, null, null, [], []), Tech, T0),
        ["emptyTrip"] = o => o.RecordEmptyTrip("no fault", Tech, T0),
        ["transfer"] = o => o.Transfer(8, "leave", Clerk, T0),
        ["progressCall"] = o => o.RecordProgressCall(T0.AddHours(2), false, null, Clerk, T0),
        ["requestTransfer"] = o => o.RequestTransfer(9, "too far for me", Tech, T0),
        ["confirmUnreachable"] = o => { o.Contact(false, null, null, null, Tech, T0); o.ConfirmUnreachable(false, null, Clerk, T0); },
        ["cancel"] = o => o.Cancel("customer cancelled", Clerk, T0),
        ["returnVisit"] = o => o.RecordReturnVisit("reached", 5, new { }, Clerk, T0),
        ["close"] = o => o.Close(Clerk, T0),
        ["returnToDispatcher"] = o => o.ReturnToDispatcher("customer moves in 06-20", null, Tech, T0),
        ["submit"] = o => o.Submit(new DraftCompletion(null, new DateOnly(2024, 3, 1), "leaks", null, null, null, null), Clerk, T0),
    };

    /// <summary>The legal actions from each state: everything not listed must be refused.</summary>
    private static readonly Dictionary<WorkOrderStatus, string[]> Legal = new()
    {
        [WorkOrderStatus.New] = ["dispatch", "cancel"],
        [WorkOrderStatus.Dispatched] = ["accept", "reject", "transfer", "requestTransfer", "cancel", "returnToDispatcher"],
        [WorkOrderStatus.Accepted] = ["contact", "transfer", "requestTransfer", "confirmUnreachable", "cancel", "returnToDispatcher"],
        [WorkOrderStatus.Scheduled] = ["reschedule", "checkIn", "transfer", "requestTransfer", "progressCall", "cancel", "returnToDispatcher"],
        [WorkOrderStatus.Returned] = ["dispatch", "cancel"],
        [WorkOrderStatus.InProgress] = ["complete", "emptyTrip", "progressCall", "cancel"],
        [WorkOrderStatus.Completed] = ["returnVisit"],
        [WorkOrderStatus.Visited] = ["close"],
        [WorkOrderStatus.Closed] = [],
        [WorkOrderStatus.Cancelled] = [],
        [WorkOrderStatus.Draft] = ["submit", "cancel"],
    };

    private static readonly Dictionary<WorkOrderStatus, string[]> PathTo = new()
    {
        [WorkOrderStatus.New] = [],
        [WorkOrderStatus.Dispatched] = ["dispatch"],
        [WorkOrderStatus.Accepted] = ["dispatch", "accept"],
        [WorkOrderStatus.Scheduled] = ["dispatch", "accept", "contact"],
        [WorkOrderStatus.InProgress] = ["dispatch", "accept", "contact", "checkIn"],
        [WorkOrderStatus.Completed] = ["dispatch", "accept", "contact", "checkIn", "complete"],
        [WorkOrderStatus.Visited] = ["dispatch", "accept", "contact", "checkIn", "complete", "returnVisit"],
        [WorkOrderStatus.Closed] = ["dispatch", "accept", "contact", "checkIn", "complete", "returnVisit", "close"],
        [WorkOrderStatus.Cancelled] = ["cancel"],
        [WorkOrderStatus.Returned] = ["dispatch", "accept", "returnToDispatcher"],
        [WorkOrderStatus.Draft] = [],
    };

    private static WorkOrder OrderIn(WorkOrderStatus status)
    {
        var order = NewOrder();
        if (status == WorkOrderStatus.Draft) order.Receive(Clerk, T0, new { }, draft: true);
        foreach (var step in PathTo[status]) Actions[step](order);
        Assert.Equal(status, order.Status);
        return order;
    }

    public static TheoryData<WorkOrderStatus, string> AllPairs()
    {
        var data = new TheoryData<WorkOrderStatus, string>();
        foreach (var s in Enum.GetValues<WorkOrderStatus>())
            foreach (var a in Actions.Keys) data.Add(s, a);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_action_is_allowed_exactly_from_the_states_the_lifecycle_names(WorkOrderStatus status, string action)
    {
        var order = OrderIn(status);
        var entries = order.Timeline.Count;
        if (Legal[status].Contains(action))
        {
            Actions[action](order);
            Assert.Equal(entries + (action == "confirmUnreachable" ? 2 : 1), order.Timeline.Count);
            Assert.Equal(order.Status, order.Timeline[^1].ToStatus);
        }
        else
        {
            var e = Assert.Throws<IllegalTransitionException>(() => Actions[action](order));
            Assert.Equal(status, e.Current);
            Assert.Equal(status, order.Status);
            Assert.Equal(entries, order.Timeline.Count);
        }
    }

    [Fact]
    public void A_transfer_request_leaves_the_order_with_its_technician_until_the_dispatcher_transfers_it()
    {
        var order = OrderIn(WorkOrderStatus.Accepted);
        order.RequestTransfer(9, "too far", Tech, T0);
        Assert.Equal(7, order.TechnicianId);
        Assert.Equal(WorkOrderStatus.Accepted, order.Status);
        order.Transfer(9, "approved", Clerk, T0);
        Assert.Contains("\"approvedRequestBy\":\"tech01\"", order.Timeline[^1].DataJson);
    }

    [Fact]
    public void A_transfer_to_technician_1_does_not_approve_a_request_made_for_technician_12()
    {
        var order = OrderIn(WorkOrderStatus.Accepted);
        order.RequestTransfer(12, "too far", Tech, T0);
        order.Transfer(1, "someone else", Clerk, T0);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, order.Timeline[^1].Data.GetProperty("approvedRequestBy").ValueKind);
    }

    [Fact]
    public void Confirming_an_unreachable_customer_needs_a_failed_contact_first()
    {
        var order = OrderIn(WorkOrderStatus.Accepted);
        Assert.Throws<IllegalTransitionException>(() => order.ConfirmUnreachable(false, null, Clerk, T0));
    }

    [Fact]
    public void Returning_to_the_dispatcher_clears_the_technician_and_the_appointment()
    {
        var order = OrderIn(WorkOrderStatus.Scheduled);
        order.ReturnToDispatcher("customer moves in 06-20", new DateOnly(2024, 6, 20), Tech, T0);
        Assert.Equal(WorkOrderStatus.Returned, order.Status);
        Assert.Null(order.TechnicianId);
        Assert.Null(order.AppointmentStart);
        Assert.Equal("returnedToDispatcher", order.Timeline[^1].Action);
    }

    [Fact]
    public void Rejecting_clears_the_technician_and_returns_the_order_to_new()
    {
        var order = OrderIn(WorkOrderStatus.Dispatched);
        order.Reject("too far", Tech, T0);
        Assert.Null(order.TechnicianId);
        Assert.Equal(WorkOrderStatus.New, order.Status);
    }

    [Fact]
    public void Transferring_to_the_same_technician_is_refused()
    {
        var order = OrderIn(WorkOrderStatus.Dispatched);
        Assert.Throws<IllegalTransitionException>(() => order.Transfer(7, "same", Clerk, T0));
    }

    [Fact]
    public void An_unreachable_customer_is_recorded_without_leaving_accepted()
    {
        var order = OrderIn(WorkOrderStatus.Accepted);
        order.Contact(false, null, null, "no answer", Tech, T0);
        Assert.Equal(WorkOrderStatus.Accepted, order.Status);
        Assert.Null(order.ContactedAt);
        Assert.Equal("contactFailed", order.Timeline[^1].Action);
    }

    [Fact]
    public void Every_timeline_entry_records_who_when_and_in_which_role()
    {
        var order = OrderIn(WorkOrderStatus.Scheduled);
        Assert.All(order.Timeline, e => Assert.Equal(T0, e.At));
        Assert.Equal(["infoClerk", "technician", "technician"], order.Timeline.Select(e => e.ActorRole).ToArray());
        Assert.Contains("\"technicianId\":7", order.Timeline[0].DataJson);
    }
}
