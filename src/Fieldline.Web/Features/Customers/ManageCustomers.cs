using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Customers;

public sealed record CustomerDto(int Id, int BranchId, string Name, string Phone, string Address, GeoPoint? Location, int Version,
    IReadOnlyList<ProductDto> Products);

public sealed record ProductDto(int Id, int CustomerId, string ProductLine, string? Brand, string Model, string SerialNumber, string? InvoiceNumber,
    DateOnly? PurchaseDate, DateOnly? InstalledOn, int WarrantyMonths, IReadOnlyList<string> WarrantyExclusions, DateOnly? WarrantyEndsOn,
    bool InWarranty, int Version)
{
    public static ProductDto From(RegisteredProduct p, DateOnly today) => new(p.Id, p.CustomerId, p.ProductLine, p.Brand, p.Model, p.SerialNumber,
        p.InvoiceNumber, p.PurchaseDate, p.InstalledOn, p.WarrantyMonths, p.WarrantyExclusions, p.WarrantyEndsOn, p.IsInWarrantyOn(today), p.Version);
}

public sealed record CustomerInput(string? Name, string? Phone, string? Address, GeoPoint? Location);

public sealed record CreateCustomerRequest(string? Name, string? Phone, string? Address, GeoPoint? Location, int? BranchId);

/// <summary>Customers of a branch, found by phone number as a clerk finds them when the phone rings.</summary>
public sealed class ManageCustomers(AppDbContext db, TimeProvider clock, BranchZones zones)
{
    public async Task<Page<CustomerDto>> List(CurrentUser user, string? phone, string? q, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("look up customers", Roles.Office);
        var (skip, take) = Paging.Check(page, pageSize);
        var query = Visible(user);
        if (!string.IsNullOrWhiteSpace(phone))
        {
            var normalized = PhoneNumber.Normalize(phone);
            if (normalized is null) throw ValidationFailedException.For("phone", PhoneNumber.Rule);
            query = query.Where(c => c.Phone == normalized);
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            query = query.Where(c => c.Name.Contains(text) || c.Phone.Contains(text) || c.Address.Contains(text));
        }
        var total = await query.CountAsync(ct);
        var items = await query.Include(c => c.Products).OrderBy(c => c.Id).Skip(skip).Take(take).ToListAsync(ct);
        var result = new List<CustomerDto>(items.Count);
        foreach (var c in items) result.Add(await ToDto(c, ct));
        return new Page<CustomerDto>(result, total);
    }

    public async Task<CustomerDto> Get(CurrentUser user, int id, CancellationToken ct)
    {
        user.RequireAny("read customers", Roles.Office);
        var customer = await Visible(user).Include(c => c.Products).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Customer", id);
        return await ToDto(customer, ct);
    }

    public async Task<CustomerDto> Create(CurrentUser user, CreateCustomerRequest request, CancellationToken ct)
    {
        user.RequireAny("register customers", Roles.Intake);
        var v = new Validator();
        var branchId = request.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branchId) || !await db.Branches.AnyAsync(b => b.Id == branchId, ct)) v.Add("branchId", "Branch {1} does not exist.", branchId);
        var phone = Validate(v, new CustomerInput(request.Name, request.Phone, request.Address, request.Location), "");
        v.ThrowIfInvalid();
        var customer = await Add(branchId, new CustomerInput(request.Name, phone, request.Address, request.Location), ct);
        await db.SaveChangesAsync(ct);
        return await ToDto(customer, ct);
    }

    /// <summary>Validates a customer's fields (prefixed, e.g. "customer.phone") and returns the normalised phone.</summary>
    public static string? Validate(Validator v, CustomerInput input, string prefix)
    {
        v.RequiredText(input.Name, 100, prefix + "name").RequiredText(input.Address, 300, prefix + "address");
        GeoPoint.Validate(v, input.Location, prefix + "location", required: false);
        if (string.IsNullOrWhiteSpace(input.Phone)) { v.Add(prefix + "phone", "{0} is required."); return null; }
        var phone = PhoneNumber.Normalize(input.Phone);
        if (phone is null) v.Add(prefix + "phone", PhoneNumber.Rule);
        return phone;
    }

    /// <summary>Adds a customer to the branch (not saved); a phone number already registered there is a 409.</summary>
    public async Task<Customer> Add(int branchId, CustomerInput input, CancellationToken ct)
    {
        if (await db.Customers.Where(c => c.BranchId == branchId && c.Phone == input.Phone).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct) is { } existing)
            throw new ConflictException(Msg.Of("The phone number is already registered to customer {0} in this branch.", existing), Msg.Of("Duplicate customer"));
        var customer = new Customer
        {
            BranchId = branchId, Name = input.Name!.Trim(), Phone = input.Phone!, Address = input.Address!.Trim(),
            Lat = input.Location?.Lat, Lng = input.Location?.Lng, CreatedAt = clock.GetUtcNow(),
        };
        db.Customers.Add(customer);
        return customer;
    }

    private IQueryable<Customer> Visible(CurrentUser user) =>
        user.IsHeadOffice ? db.Customers.AsNoTracking() : db.Customers.AsNoTracking().Where(c => c.BranchId == user.BranchId);

    private async Task<CustomerDto> ToDto(Customer c, CancellationToken ct)
    {
        var today = BranchTime.Today(clock.GetUtcNow(), await zones.For(c.BranchId, ct));
        return new CustomerDto(c.Id, c.BranchId, c.Name, c.Phone, c.Address, c.Lat is { } lat && c.Lng is { } lng ? new GeoPoint(lat, lng) : null,
            c.Version, c.Products.OrderBy(p => p.Id).Select(p => ProductDto.From(p, today)).ToList());
    }
}
