// SPDX-License-Identifier: Apache-2.0
import Advice
import Catalog
import Testing

/// Issue 13, items 3 and 6: the whole command line names the program; what names none is not asked about.
@Suite struct CommandLineProgramTests {
    func program(_ comm: String, _ exe: String?, _ argv: [String], cgroup: String? = nil) -> String? {
        ProcessKey(ProcessFeatures(pid: 10, comm: comm, exe: exe, cmdline: argv, cgroup: cgroup)).program?.description
    }

    @Test func interpretersAreNamedByWhatTheyRun() {
        #expect(program("java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                        ["/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "-Xmx2g", "-Dfile.encoding=UTF-8", "-cp",
                         "/home/ana/.gradle/wrapper/dists/gradle-8.5/lib/gradle-launcher-8.5.jar",
                         "org.gradle.launcher.daemon.bootstrap.GradleDaemon", "8.5"])
                == "main class org.gradle.launcher.daemon.bootstrap.GradleDaemon")
        #expect(program("java", "/usr/bin/java", ["java", "-Xms1G", "-Xmx4G", "-XX:+UseG1GC", "-jar", "/srv/minecraft/server.jar",
                                                   "nogui"]) == "jar server.jar")
        #expect(program("python3", "/usr/bin/python3.11", ["/usr/bin/python3", "-u", "-m", "http.server", "8000"])
                == "module http.server")
        #expect(program("python3", "/usr/bin/python3.11", ["python3", "-W", "ignore", "/opt/tools/sync_photos.py", "--daemon"])
                == "script sync_photos.py")
        // a #! script: the comm is the script, the exe the interpreter
        #expect(program("lutris", "/usr/bin/python3.11", ["/usr/bin/python3", "/usr/bin/lutris"]) == "script lutris")
        #expect(program("node", "/usr/bin/node", ["node", "--require", "/tmp/hook.js", "/home/ana/app/server.js"])
                == "script server.js")
        #expect(program("bash", "/usr/bin/bash", ["/bin/bash", "-o", "pipefail", "/usr/local/bin/backup-home.sh"])
                == "script backup-home.sh")
    }

    @Test func windowsAppImageAndFlatpakProgramsAreFoundAnywhereInTheCommandLine() {
        #expect(program("Cyberpunk2077.e", "/home/ana/.local/share/Steam/steamapps/common/Proton 9.0/files/bin/wine64-preloader",
                        ["/home/ana/.local/share/Steam/steamapps/common/Proton 9.0/files/bin/wine64-preloader",
                         #"Z:\home\ana\.local\share\Steam\steamapps\common\Cyberpunk 2077\bin\x64\Cyberpunk2077.exe"#, "--launcher-skip"])
                == "windows exe Cyberpunk2077.exe")
        #expect(program("wine", "/usr/bin/wine", ["wine", "start", "/unix", "/home/ana/.wine/drive_c/Program Files/Foobar/foobar2000.exe"])
                == "windows exe foobar2000.exe")
        #expect(program("kdenlive", "/tmp/.mount_kdenliAbC123/usr/bin/kdenlive",
                        ["/home/ana/Apps/kdenlive-24.08.1-x86_64.AppImage"]) == "AppImage kdenlive-24.08.1-x86_64.AppImage")
        #expect(program("obsidian", "/tmp/.mount_ObsidiXyZ/obsidian", ["/tmp/.mount_ObsidiXyZ/obsidian"]) == "AppImage ObsidiXyZ")
        #expect(program("flatpak", "/usr/bin/flatpak", ["/usr/bin/flatpak", "run", "--branch=stable", "--arch=x86_64",
                                                        "--command=spotify", "com.spotify.Client"]) == "flatpak app com.spotify.Client")
        #expect(program("spotify", "/app/extra/share/spotify/spotify", ["/app/extra/share/spotify/spotify"],
                        cgroup: "/user.slice/user-1000.slice/user@1000.service/app.slice/app-flatpak-com.spotify.Client-81233.scope")
                == "flatpak app com.spotify.Client")
        #expect(program("firefox", "/usr/lib/firefox/firefox", ["/usr/lib/firefox/firefox", "-new-window"]) == nil)
    }

    @Test func theModelSeesTheProgramEvenBeyondTheFourArgumentsShown() throws {
        let prompt = ClassificationPrompt(types: DefaultTypes.all)
        let gradle = ProcessFeatures(pid: 10, comm: "java", exe: "/usr/bin/java",
                                     cmdline: ["java", "-Xmx2g", "-cp", "a.jar:b.jar", "-Dx=y", "org.gradle.launcher.GradleMain"])
        let message = prompt.userMessage(for: gradle, name: "java")
        #expect(message.contains(#""program":"main class org.gradle.launcher.GradleMain""#), "\(message)")
    }

    @Test func processesSchedcatCannotIdentifyAreNotAsked() throws {
        let catalog = try CatalogDocument(text: CatalogDocument.newFileText, file: "memory").catalog
        let processes = [
            ProcessFeatures(pid: 1, comm: "systemd", exe: "/usr/lib/systemd/systemd", cmdline: ["/sbin/init"]),
            ProcessFeatures(pid: 20, comm: "python3", exe: "/usr/bin/python3.11", cmdline: ["python3"]),
            ProcessFeatures(pid: 21, comm: "python3", exe: "/usr/bin/python3.11", cmdline: ["python3", "-c", "import time; time.sleep(9)"]),
            ProcessFeatures(pid: 22, comm: "bash", exe: "/usr/bin/bash", cmdline: ["bash", "-c", "while :; do sleep 1; done"]),
            ProcessFeatures(pid: 23, comm: "schedcat", exe: "/usr/local/bin/schedcat", cmdline: ["schedcat", "daemon"]),
            ProcessFeatures(pid: 24, comm: "python3", exe: "/usr/bin/python3.11", cmdline: ["python3", "-m", "http.server"]),
            ProcessFeatures(pid: 25, comm: "htop", exe: "/usr/bin/htop", cmdline: ["htop"]),
        ]
        var summary = GenerateSummary(advisor: "model")
        let asked = Generator.candidates(processes, catalog: catalog, selfPID: 999, summary: &summary)
        #expect(asked.map(\.process.pid) == [24, 25])
        #expect(asked.first?.key.script == "http.server")
        #expect(summary.skipped == 5)
    }
}
