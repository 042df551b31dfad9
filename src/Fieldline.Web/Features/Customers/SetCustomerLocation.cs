using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Customers;

/// <param name="Location">WGS-84 (GPS), like every stored location; a map drawn in GCJ-02 converts before it sends.</param>
public sealed record SetLocationRequest(GeoPoint? Location, int? Version);

/// <summary>
/// Puts a customer's address on the map (a clerk's pin, or a geocoder's answer the clerk accepted). The customer's open
/// orders at that address that have no place yet, or a different one, follow in the same save, each with a timeline
/// entry, so that the plan and the board can place them; orders already on site keep theirs.
/// </summary>
public sealed class SetCustomerLocation(AppDbContext db, ManageCustomers customers, WorkOrderAccess orders, TimeProvider clock)
{
    private static readonly WorkOrderStatus[] BeforeSite = [WorkOrderStatus.New, WorkOrderStatus.Returned, WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled];

    public async Task<CustomerDto> Handle(CurrentUser user, int id, SetLocationRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        var role = user.RequireAny("register customers", Roles.Intake);
        var v = new Validator();
        GeoPoint.Validate(v, r.Location, "location", required: true);
        v.ThrowIfInvalid();
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null || !user.CanSeeBranch(customer.BranchId)) throw new NotFoundException("Customer", id);
        Concurrency.Check("Customer", customer.Version, r.Version, ifMatch);

        var (lat, lng) = (r.Location!.Lat!.Value, r.Location.Lng!.Value);
        (customer.Lat, customer.Lng) = (lat, lng);
        var now = clock.GetUtcNow();
        var moved = await db.WorkOrders
            .Where(o => o.CustomerId == id && o.Address == customer.Address && BeforeSite.Contains(o.Status) && (o.Lat == null || o.Lat != lat || o.Lng != lng))
            .ToListAsync(ct);
        foreach (var order in moved) order.Locate(lat, lng, new Actor(user.UserId, user.UserName, role), now);
        await db.SaveChangesAsync(ct);
        foreach (var order in moved) orders.Changed(order, "located");
        return await customers.Get(user, id, ct);
    }
}
