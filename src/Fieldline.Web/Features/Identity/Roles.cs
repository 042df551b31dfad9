namespace Fieldline.Web.Features.Identity;

/// <summary>The roles of api.md; a user may hold several.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Dispatcher = "dispatcher";
    public const string InfoClerk = "infoClerk";
    public const string Technician = "technician";
    public const string ReturnVisitAgent = "returnVisitAgent";
    public const string ComplaintHandler = "complaintHandler";
    public const string WarehouseKeeper = "warehouseKeeper";
    public const string Finance = "finance";
    /// <summary>The after-sales supervisor (售后主管, Subor): answers inquiry calls, organises the department; a customer's complaint against him is fined (CPL-11, PEN-94).</summary>
    public const string Supervisor = "supervisor";

    public static readonly IReadOnlyList<string> All =
        [Admin, Manager, Dispatcher, InfoClerk, Technician, ReturnVisitAgent, ComplaintHandler, WarehouseKeeper, Finance, Supervisor];

    /// <summary>Office staff who may read a branch's customers and work orders.</summary>
    public static readonly string[] Office = [Admin, Manager, Dispatcher, InfoClerk, ReturnVisitAgent, ComplaintHandler, WarehouseKeeper, Finance, Supervisor];

    /// <summary>Who may take a request and register customers and products.</summary>
    public static readonly string[] Intake = [Admin, Manager, Dispatcher, InfoClerk];
}
