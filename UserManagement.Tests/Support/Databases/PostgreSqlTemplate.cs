namespace UserManagement.Tests.Support.Databases;

/// <summary>
/// What every test database cloned from one template starts with: <paramref name="Prepare"/> runs once per test run,
/// on the template database's connection string (no pooling), before the first clone. For the app that is its
/// migrator; a test of the fixture itself passes a callback that creates a table. Give each kind of template one
/// static instance: two different definitions under one <paramref name="Name"/> are a bug the server refuses.
/// </summary>
/// <param name="Name">Lower-case letters, digits and underscores, at most 30: part of the template database's name.</param>
public sealed record PostgreSqlTemplate(string Name, Func<string, CancellationToken, Task> Prepare);
