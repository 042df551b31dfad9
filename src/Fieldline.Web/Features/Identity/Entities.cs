using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Identity;

/// <summary>Head office (no parent) or a branch. Head-office staff see every branch; branch staff only their own.</summary>
public sealed class Branch : IVersioned
{
    public int Id { get; private set; }
    public required string Name { get; set; }
    public int? ParentId { get; set; }
    public string TimeZone { get; set; } = "Asia/Shanghai";
    public int Version { get; set; }
    public bool IsHeadOffice => ParentId is null;
}

public sealed class User : IVersioned
{
    public int Id { get; private set; }
    public required string UserName { get; init; }
    public required string DisplayName { get; set; }
    public string PasswordHash { get; set; } = "";
    public int BranchId { get; set; }
    /// <summary>Where SMS dispatch orders go (technicians); normalised like customers' numbers.</summary>
    public string? Phone { get; set; }
    /// <summary>Where archived reports are e-mailed when an SMTP server is configured (Fieldline:Smtp).</summary>
    public string? Email { get; set; }
    public List<string> Roles { get; set; } = [];
    public bool IsActive { get; set; } = true;
    /// <summary>The language the person reads Fieldline in (zh-CN or en); null until they choose: Chinese.</summary>
    public string? Language { get; set; }
    public int Version { get; set; }
}

internal sealed class BranchConfiguration : IEntityTypeConfiguration<Branch>
{
    public void Configure(EntityTypeBuilder<Branch> b)
    {
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.IsHeadOffice);
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(x => x.UserName).HasMaxLength(64);
        b.HasIndex(x => x.UserName).IsUnique();
        b.Property(x => x.DisplayName).HasMaxLength(100);
        b.Property(x => x.PasswordHash).HasMaxLength(200);
        b.Property(x => x.Phone).HasMaxLength(20);
        b.Property(x => x.Email).HasMaxLength(200);
        b.Property(x => x.Language).HasMaxLength(8);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
