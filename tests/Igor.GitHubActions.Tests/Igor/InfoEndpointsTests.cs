using Igor.GitHubActions.Contracts.Jobs;
using Igor.GitHubActions.Contracts.Masters;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Endpoints;
using Igor.GitHubActions.Igor.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Igor.GitHubActions.Tests.Igor;

public sealed class InfoEndpointsTests
{
    private static BuildServiceRegistry Registry() => new(
    [
        new FakeBuildService("github-ent", "acme/api/build.yml"),
        new FakeBuildService("github", "acme/web/deploy.yml", "acme/web/test.yml")
        {
            Permissions = new Dictionary<string, IReadOnlyList<string>> { ["READ"] = ["devs"] },
        },
    ]);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("jenkins")]
    [TestCase("JENKINS")]
    [TestCase("Jenkins")]
    public void GetMasters_NoTypeOrJenkins_AllMastersSorted(string? type)
    {
        // Act
        var result = InfoEndpoints.MastersOfType(type, Registry());

        // Assert
        result.Should().Equal("github", "github-ent");
    }

    [TestCase("travis")]
    [TestCase("CONCOURSE")]
    [TestCase("gitlab_ci")]
    [TestCase("gcb")]
    [TestCase("wercker")]
    public void GetMasters_OtherKnownType_Empty(string type)
    {
        // Act
        var result = InfoEndpoints.MastersOfType(type, Registry());

        // Assert
        result.Should().BeEmpty();
    }

    [TestCase("bogus")]
    [TestCase("github")]
    public void GetMasters_UnknownType_BadRequest(string type)
    {
        // Act
        var act = () => InfoEndpoints.MastersOfType(type, Registry());

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest)
            .WithMessage($"'{type}' is not a build service type*jenkins*");
    }

    [Test]
    public void GetMasters_EmptyRegistry_Empty()
    {
        // Act
        var result = InfoEndpoints.MastersOfType(null, new BuildServiceRegistry([]));

        // Assert
        result.Should().BeEmpty();
    }

    [Test]
    public void GetBuildServices_Registry_SortedJenkinsViewsWithPermissions()
    {
        // Act
        var result = InfoEndpoints.GetBuildServices(Registry());

        // Assert
        var views = result.Should().BeOfType<Ok<BuildServiceView[]>>().Subject.Value!;
        views.Select(v => v.Name).Should().Equal("github", "github-ent");
        views.Should().OnlyContain(v => v.BuildServiceProvider == "JENKINS");
        views[0].Permissions["READ"].Should().Equal("devs");
        views[1].Permissions.Should().BeEmpty();
    }

    [Test]
    public async Task GetJobsAsync_KnownMaster_ItsJobs()
    {
        // Act
        var result = await InfoEndpoints.GetJobsAsync("github", Registry(), CancellationToken.None);

        // Assert
        result.Should().BeOfType<Ok<IReadOnlyList<string>>>().Which.Value.Should().Equal("acme/web/deploy.yml", "acme/web/test.yml");
    }

    [Test]
    public async Task GetJobsAsync_UnknownMaster_NotFoundNamingMasters()
    {
        // Act
        var act = () => InfoEndpoints.GetJobsAsync("nope", Registry(), CancellationToken.None);

        // Assert
        (await act.Should().ThrowAsync<IgorException>())
            .Where(e => e.StatusCode == StatusCodes.Status404NotFound)
            .WithMessage("no build master named 'nope' (masters: github, github-ent)");
    }

    [Test]
    public async Task GetJobConfigAsync_EncodedPath_JobDecodedOnce()
    {
        // Arrange
        var service = new FakeBuildService("github");
        var context = JobConfigRequest("/jobs/github/acme/api/my%20build.yml");

        // Act
        var result = await InfoEndpoints.GetJobConfigAsync("github", context, new BuildServiceRegistry([service]), CancellationToken.None);

        // Assert
        result.Value.Should().BeOfType<JobConfiguration>().Which.Name.Should().Be("acme/api/my build.yml");
        service.RequestedJobs.Should().Equal(new JobName("acme", "api", "my build.yml"));
    }

    [Test]
    public async Task GetJobConfigAsync_EncodedSlash_BadRequest()
    {
        // Arrange
        var service = new FakeBuildService("github");
        var context = JobConfigRequest("/jobs/github/acme%2Fapi/build.yml");

        // Act
        var act = () => InfoEndpoints.GetJobConfigAsync("github", context, new BuildServiceRegistry([service]), CancellationToken.None);

        // Assert
        (await act.Should().ThrowAsync<IgorException>()).Where(e => e.StatusCode == StatusCodes.Status400BadRequest);
        service.RequestedJobs.Should().BeEmpty();
    }

    [Test]
    public async Task GetJobConfigAsync_UnknownMaster_NotFound()
    {
        // Arrange
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/jobs/nope/acme/api/build.yml";

        // Act
        var act = () => InfoEndpoints.GetJobConfigAsync("nope", context, Registry(), CancellationToken.None);

        // Assert
        (await act.Should().ThrowAsync<IgorException>()).Where(e => e.StatusCode == StatusCodes.Status404NotFound);
    }

    /// <summary>A request matched to the job-config route, as routing leaves it (the job is read from the route's pattern).</summary>
    private static DefaultHttpContext JobConfigRequest(string rawTarget)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        context.SetEndpoint(new Microsoft.AspNetCore.Routing.RouteEndpoint(
            _ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/jobs/{master}/{**job}"), 0, null, "GetJobConfig"));
        return context;
    }
}
