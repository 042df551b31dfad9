using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Dispatch;

/// <summary>
/// The dispatcher's board: the queue by urgency with live countdowns, the technicians and their day, orders nobody has
/// accepted. Assign and transfer post through the same use cases as the API; every open board redraws on the live feed.
/// </summary>
public sealed class BoardModel(ShowBoard show, DispatchWorkOrder dispatch, TransferWorkOrder transfer, ReleaseToPool pool) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public int? BranchId { get; set; }

    public BoardDto Board { get; private set; } = null!;

    public async Task OnGet(CancellationToken ct) => Board = await show.Handle(Me, BranchId, ct);

    /// <summary>htmx: the board alone, redrawn on every change in the branch.</summary>
    public async Task<IActionResult> OnGetPanel(CancellationToken ct)
    {
        Board = await show.Handle(Me, BranchId, ct);
        return Partial("_Board", this);
    }

    public async Task<IActionResult> OnPostAssign(long orderId, int? technicianId, int? version, CancellationToken ct)
    {
        await Attempt(async () =>
        {
            var order = await dispatch.Handle(Me, orderId, new DispatchRequest(technicianId, version), null, ct);
            Flash = T["{0} dispatched.", order.Code];
        });
        return await Redraw(ct);
    }

    /// <summary>放入抢单池: the branch's eligible technicians may take the order themselves on the phone.</summary>
    public async Task<IActionResult> OnPostRelease(long orderId, int? version, CancellationToken ct)
    {
        await Attempt(async () =>
        {
            var order = await pool.Release(Me, orderId, new VersionOnlyRequest(version), null, ct);
            Flash = T["{0} is in the order pool: the branch's technicians may take it.", order.Code];
        });
        return await Redraw(ct);
    }

    /// <summary>撤回: out of the pool again, back to the dispatcher alone.</summary>
    public async Task<IActionResult> OnPostWithdraw(long orderId, int? version, CancellationToken ct)
    {
        await Attempt(async () =>
        {
            var order = await pool.Withdraw(Me, orderId, new VersionOnlyRequest(version), null, ct);
            Flash = T["{0} was taken back from the order pool.", order.Code];
        });
        return await Redraw(ct);
    }

    public async Task<IActionResult> OnPostTransfer(long orderId, int? technicianId, string? reason, int? version, CancellationToken ct)
    {
        await Attempt(async () =>
        {
            var order = await transfer.Handle(Me, orderId, new TransferRequest(technicianId, reason, version), null, ct);
            Flash = T["{0} transferred.", order.Code];
        });
        return await Redraw(ct);
    }

    /// <summary>
    /// htmx, on the live feed: what one order's change does to this board — its rows where they belong now and the
    /// counters beside them, a few KB, instead of the whole board for every change (see _BoardChange). <paramref name="from"/>
    /// is the technician whose column showed the order, whose load changes with it.
    /// </summary>
    public async Task<IActionResult> OnGetChange(long orderId, int? from, CancellationToken ct)
    {
        Board = await show.Handle(Me, BranchId, ct);
        return Partial("_BoardChange", BoardChange.Of(Board, orderId, from));
    }

    /// <summary>Skills as "ac.repair"; the order needs its product line's install or repair skill (DSP-20).</summary>
    public static bool Qualified(BoardTechnicianDto t, BoardOrderDto o) =>
        t.Skills.Contains(Features.Technicians.Technician.SkillFor(o.ProductLine, o.Type == "install"));

    private async Task<IActionResult> Redraw(CancellationToken ct)
    {
        Board = await show.Handle(Me, BranchId, ct);
        if (Request.Headers.ContainsKey("HX-Request")) return Partial("_Board", this);
        return Page();
    }
}

/// <summary>One row of the board (or a technician's load badge) for a partial; <see cref="Oob"/> says where a live change puts it ("beforebegin:#id", "beforeend:#id", "replace:#id").</summary>
public sealed record BoardRow(BoardDto Board, BoardOrderDto Order, BoardTechnicianDto? Technician = null, string? Oob = null, string Partial = "")
{
    public static string Urgency(BoardOrderDto o) => o.NextDeadline?.State switch { "overdue" => "is-red", "warning" => "is-amber", _ => "" };
}

/// <summary>Where a changed order's rows go on a board: before the row that now follows it in each list, or at the list's end.</summary>
public sealed record BoardChange(BoardDto Board, long OrderId, IReadOnlyList<BoardRow> Rows)
{
    public static BoardChange Of(BoardDto board, long orderId, int? from)
    {
        var rows = new List<BoardRow>();
        static string Place(IReadOnlyList<BoardOrderDto> list, int i, string prefix, string end) =>
            i + 1 < list.Count ? $"beforebegin:#{prefix}{list[i + 1].Id}" : $"beforeend:#{end}";
        var q = board.Unassigned.ToList().FindIndex(o => o.Id == orderId);
        if (q >= 0) rows.Add(new BoardRow(board, board.Unassigned[q], null, Place(board.Unassigned, q, "order-", "queue"), "_QueueRow"));
        var n = board.NotAccepted.ToList().FindIndex(o => o.Id == orderId);
        if (n >= 0) rows.Add(new BoardRow(board, board.NotAccepted[n], null, Place(board.NotAccepted, n, "unaccepted-", "not-accepted-rows"), "_UnacceptedRow"));
        foreach (var t in board.Technicians)
        {
            var i = t.Orders.ToList().FindIndex(o => o.Id == orderId);
            if (i >= 0) rows.Add(new BoardRow(board, t.Orders[i], t, Place(t.Orders, i, "tech-order-", $"tech-orders-{t.Id}"), "_TechOrder"));
            if (i >= 0 || t.Id == from) rows.Add(new BoardRow(board, null!, t, $"replace:#tech-load-{t.Id}", "_TechLoad"));
        }
        return new BoardChange(board, orderId, rows);
    }
}
