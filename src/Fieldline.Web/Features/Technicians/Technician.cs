using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Technicians;

/// <summary>The field profile of a user with the technician role: what they can do, where, and whether they work today.</summary>
public sealed class Technician : IVersioned
{
    public int Id { get; private set; }
    public int UserId { get; init; }
    public int BranchId { get; set; }
    /// <summary>productLine.kind, e.g. ac.install, ac.repair, purifier.repair.</summary>
    public List<string> Skills { get; set; } = [];
    public List<string> Regions { get; set; } = [];
    public double? HomeLat { get; set; }
    public double? HomeLng { get; set; }
    public string? PayGrade { get; set; }
    public bool OnDuty { get; set; } = true;
    /// <summary>
    /// 兼职: part-time service staff. DSP-21: where the policy says so, they are sent on an order only with the after-sales
    /// manager's approval, and never planned, suggested or offered the order pool on their own.
    /// </summary>
    public bool PartTime { get; set; }
    /// <summary>
    /// Where the person stands with the company (HR-02..11): <c>onboarding</c> until the hiring checklist is complete and
    /// someone sets them active, <c>active</c>, <c>leaving</c> while the offboarding checklist is open, <c>left</c>. A
    /// profile made through the API starts onboarding; rows made before this existed, and the demo's, are active.
    /// </summary>
    public string Employment { get; set; } = EmploymentStatus.Active;
    public int Version { get; set; }

    public User? User { get; private set; }

    /// <summary>The skill an order needs: installs need "line.install", every other type "line.repair".</summary>
    public static string SkillFor(string productLine, bool isInstall) => $"{productLine}.{(isInstall ? "install" : "repair")}";
}

public static class EmploymentStatus
{
    public const string Onboarding = "onboarding", Active = "active", Leaving = "leaving", Left = "left";
}

internal sealed class TechnicianConfiguration : IEntityTypeConfiguration<Technician>
{
    public void Configure(EntityTypeBuilder<Technician> b)
    {
        b.HasIndex(x => x.UserId).IsUnique();
        b.HasIndex(x => x.BranchId);
        b.Property(x => x.PayGrade).HasMaxLength(32);
        // Existing rows (and profiles made before onboarding existed) are employed people: active.
        b.Property(x => x.Employment).HasMaxLength(16).HasDefaultValue(EmploymentStatus.Active);
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
