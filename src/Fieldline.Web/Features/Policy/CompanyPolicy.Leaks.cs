namespace Fieldline.Web.Features.Policy;

/// <summary>The leak rules: an installation's leak found by a repair technician (INS-29/30, PEN-68..71, RWD-04..06, RWD-10).</summary>
public sealed partial class CompanyPolicy
{
    /// <summary>INS-29 / RWD-04: the installer is charged for a leak on a unit installed within this many days (365: one year).</summary>
    public int LeakOneYearWindowDays { get; } = Value<int>(document, "leaks.oneYearWindowDays") ?? 365;

    /// <summary>INS-30: the window of a new installation for the monthly leak threshold (30 days).</summary>
    public int LeakNewInstallWindowDays { get; } = Value<int>(document, "leaks.newInstallWindowDays") ?? 30;

    /// <summary>INS-30 / PEN-71: more than this many leaks in a month on new installations (2) cost the installer's eligibility; null = no limit.</summary>
    public int? NewInstallLeaksPerMonthMax { get; } = Value<int>(document, "leaks.newInstallLeaksPerMonthMax");

    /// <summary>INS-30 / PEN-71: more than this many leaks in a month on installations within the year (4) cost the installer's eligibility; null = no limit.</summary>
    public int? OneYearLeaksPerMonthMax { get; } = Value<int>(document, "leaks.oneYearLeaksPerMonthMax");

    /// <summary>RWD-10: the installer's leak chargeback is paid to the repair technician as his subsidy, in the same transaction.</summary>
    public bool LeakChargesCreditedToRepairTechnician { get; } = Value<bool>(document, "leaks.chargesCreditedToRepairTechnician") == true;

    /// <summary>INS-29 / RWD-05/06: the refrigerant-leak charge differs for an inverter and a fixed-speed compressor (Gree; not Binchun).</summary>
    public bool DistinguishInverterFixedSpeed { get; } = Value<bool>(document, "leaks.distinguishInverterFixedSpeed") == true;
}
