using System.Diagnostics;
using Bunit;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Pages;

namespace UserManagement.Tests.Components.Layout;

/// <summary>The page a request that failed outside a circuit ends on.</summary>
public sealed class ErrorPageTests : ComponentTestContext
{
    [Fact]
    public void Should_show_the_requests_correlation_id_as_the_reference_and_nothing_about_the_server()
    {
        using var request = new Activity("a request that failed").Start();

        var cut = Render<Error>();

        cut.Find("[data-testid=error-reference]").TextContent.ShouldBe(request.TraceId.ToHexString());
        cut.Find("h1").TextContent.ShouldBe("Something went wrong");
        cut.Markup.ShouldNotContain("Development");
    }
}
