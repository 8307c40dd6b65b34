using Bunit;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Layout;

namespace UserManagement.Tests.Components.Layout;

public sealed class ServerStoppingNoticeTests : ComponentTestContext
{
    [Fact]
    public void Should_tell_an_open_page_that_the_server_is_restarting_before_the_stop_goes_on()
    {
        var cut = Render<ServerStoppingNotice>();
        cut.FindAll("[data-testid=server-stopping]").ShouldBeEmpty();

        // Stopping calls every page and returns once each has rendered the notice.
        Lifetime.StopApplication();

        cut.Find("[data-testid=server-stopping]").TextContent.ShouldContain("The server is restarting. Everything you saved is kept.");
        cut.Find("[data-testid=server-stopping]").GetAttribute("role").ShouldBe("alert");
    }

    [Fact]
    public void Should_not_listen_while_prerendering_when_there_is_no_circuit_to_tell()
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
        var cut = Render<ServerStoppingNotice>();

        Lifetime.StopApplication();

        cut.FindAll("[data-testid=server-stopping]").ShouldBeEmpty();
    }
}
