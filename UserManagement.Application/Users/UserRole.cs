namespace UserManagement.Application.Users;

public enum UserRole
{
    Member = 0,
    Administrator = 1,
}

public enum UserStatus
{
    Active = 0,
    Disabled = 1,
}
